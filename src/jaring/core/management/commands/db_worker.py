"""`jaring db_worker`: django-tasks' database worker that also recovers interrupted runs.

At its start, and every JARING_JOB_SWEEP_SECONDS while it runs, a run whose process died (this
worker's predecessor, a web request committing an import, another worker) is marked failed with
the reason "interrupted" (core.jobs), so its page stops waiting and offers to run it again.
"""

from django_tasks_db.management.commands import db_worker

from jaring.core import jobs


class Command(db_worker.Command):
    help = db_worker.Command.help + " Recovers runs whose process died."

    def handle(self, *args, **options) -> None:
        jobs.watch()
        super().handle(*args, **options)
