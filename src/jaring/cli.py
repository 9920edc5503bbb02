"""The `jaring` console command: Django's management commands under one name.

`jaring nik 6172...`, `jaring demo`, `jaring migrate`, `jaring runserver` all go through here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["jaring", *args])


if __name__ == "__main__":
    main()
