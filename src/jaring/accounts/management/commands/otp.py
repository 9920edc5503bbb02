from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.models import User
from jaring.accounts.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "The login code (second factor): reset USER removes their authenticator app and "
        "recovery codes (a lost phone); they set up a new one at their next login."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reset = actions.add_parser("reset", help="remove a user's authenticator and codes")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user '{username}'")
        removed = reset_second_factor(user=user)
        self.stdout.write(
            f"reset the login code of {user.username} ({removed} device(s) removed); "
            "they set up a new one at their next login"
        )
