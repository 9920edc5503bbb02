from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.models import User
from jaring.accounts.services import unlock


class Command(BaseCommand):
    help = "Lift a user's login lock-out (too many wrong passwords) before it cools off."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user '{username}'")
        cleared = unlock(user=user)
        self.stdout.write(f"unlocked {user.username} ({cleared} failure record(s) cleared)")
