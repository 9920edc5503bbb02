"""What the `bpjs` and `cards` commands share: acting as a user, one way to print results."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.models import User
from jaring.core.errors import DomainError


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user", required=True, metavar="USERNAME", help="who acts (their role and region apply)"
    )


def acting_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).select_related("scope").first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user


def dump(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def refuse(command: BaseCommand, exc: DomainError, as_json: bool) -> None:
    """Prints the problems (JSON on stdout with --json) and exits with status 2."""
    if as_json:
        command.stdout.write(dump(exc.as_dict()))
    else:
        for problem in exc.problems:
            command.stderr.write(problem.message)
    raise CommandError("refused; nothing was changed", returncode=2)
