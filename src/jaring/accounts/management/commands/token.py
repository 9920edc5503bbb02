import json

from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.models import ApiToken, User
from jaring.accounts.services import create_token, revoke_token
from jaring.core.errors import DomainError


def _row(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "user": token.user.username,
        "name": token.name,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


class Command(BaseCommand):
    help = "API tokens: create (the key is shown once), list, revoke."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print its key once")
        create.add_argument("--user", required=True, metavar="USERNAME")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--json", action="store_true", dest="as_json")
        listing = actions.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("--user", metavar="USERNAME")
        listing.add_argument("--json", action="store_true", dest="as_json")
        revoke = actions.add_parser("revoke", help="revoke tokens by id")
        revoke.add_argument("ids", nargs="+", type=int, metavar="ID")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError("; ".join(p.message for p in exc.problems)) from exc

    def _create(self, *, user, name, as_json: bool, **_):
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"no user '{user}'")
        token, key = create_token(user=owner, name=name)
        if as_json:
            self.stdout.write(_json({**_row(token), "key": key}))
        else:
            self.stdout.write(f"{token.pk}\t{owner.username}\t{token.name}\n{key}")
            self.stderr.write("Simpan kunci ini sekarang: tidak akan ditampilkan lagi.")

    def _list(self, *, user, as_json: bool, **_):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
        if user:
            tokens = tokens.filter(user__username=user)
        rows = [_row(t) for t in tokens]
        if as_json:
            self.stdout.write(_json(rows))
            return
        for r in rows:
            self.stdout.write(
                f"{r['id']}\t{r['prefix']}…\t{r['user']}\t{r['name']}\t"
                f"{r['created_at'][:16]}\t{(r['last_used_at'] or '-')[:16]}"
            )

    def _revoke(self, *, ids, **_):
        tokens = {t.pk: t for t in ApiToken.objects.select_related("user").filter(pk__in=ids)}
        missing = sorted(set(ids) - set(tokens))
        if missing:
            raise CommandError(f"no token with id {', '.join(map(str, missing))}; nothing revoked")
        for token in tokens.values():
            self.stdout.write(f"revoked {token.pk}\t{token.user.username}\t{token.name}")
            revoke_token(token=token)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
