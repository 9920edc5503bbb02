"""`jaring audit reads`: the read audit (who saw whole NIKs), newest first."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.accounts.audit import read_row
from jaring.accounts.models import ReadEvent, User


def _since(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r}: a date as YYYY-MM-DD") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Command(BaseCommand):
    help = "The audit: `reads` lists who saw whole NIKs, when, what and how many people."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reads = actions.add_parser("reads", help="reads of whole NIKs, newest first")
        reads.add_argument("--user", metavar="USERNAME")
        reads.add_argument("--since", metavar="YYYY-MM-DD", help="from this day on")
        reads.add_argument("--limit", type=int, default=1000, help="at most this many (1000)")
        reads.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _reads(self, *, user, since, limit: int, as_json: bool, **_):
        events = ReadEvent.objects.select_related("actor")
        if user:
            if not User.objects.filter(username=user).exists():
                raise CommandError(f"no user '{user}'")
            events = events.filter(actor__username=user)
        if since:
            events = events.filter(at__gte=_since(since))
        rows = [read_row(e) for e in events[:limit]]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            reason = f"  ({r['reason']})" if r["reason"] else ""
            self.stdout.write(
                f"{r['at'][:19]}  {r['user'] or '-':<16} {r['records']:>7}  {r['what']}{reason}"
            )
