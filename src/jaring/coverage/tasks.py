"""Coverage facts refreshed in the background (`jaring db_worker`) after the writes that
changed memberships have committed."""

from django_tasks import task

from jaring.coverage import facts


@task()
def refresh_facts(regency_codes: list[str]) -> None:
    facts.refresh(regency_codes)
