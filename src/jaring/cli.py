"""The `jaring` console command: Django's management commands under one name.

`jaring nik 6172...`, `jaring demo`, `jaring migrate`, `jaring runserver` all go through here.
"""

import os
import sys

# Long-running commands: their requests and tasks keep their own read audit (the middleware,
# the exports); one collection over a whole server's life would name the wrong reader.
_SERVING = {"runserver", "db_worker", "shell", "dbshell", "testserver"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in _SERVING or args[0].startswith("-"):
        execute_from_command_line(["jaring", *args])
        return
    import django

    django.setup()
    from jaring.accounts import audit

    # Whole NIKs a command prints are a read (docs/decisions/0006-read-audit.md).
    with audit.command_reads(args):
        execute_from_command_line(["jaring", *args])


if __name__ == "__main__":
    main()
