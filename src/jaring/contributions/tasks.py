"""The monthly run in the background: `jaring db_worker` carries out what the page asked for."""

from django_tasks import task

from jaring.contributions import services


@task()
def run_billing(run_id: int) -> str:
    return services.perform_run(run_id=run_id).status
