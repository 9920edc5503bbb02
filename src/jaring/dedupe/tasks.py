"""The background side of a full run: it runs in `jaring db_worker`, not in a request."""

from django_tasks import task

from jaring.dedupe import services
from jaring.dedupe.models import DedupeRun


@task()
def run_dedupe_task(run_id: int) -> str:
    run = DedupeRun.objects.get(pk=run_id)
    return services.run_dedupe(run=run).status
