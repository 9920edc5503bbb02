"""The background side of an import: the check runs in `jaring db_worker`, not in a request."""

from django_tasks import task

from jaring.imports import services


@task()
def check_batch(batch_id: int) -> str:
    return services.check_batch(batch_id=batch_id).status
