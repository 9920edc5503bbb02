"""`jaring errors`: every error code, its app, HTTP status and messages, as docs/errors.md."""

from django.core.management.base import BaseCommand

from jaring.core.error_catalogue import markdown


class Command(BaseCommand):
    help = "Print the catalogue of error codes (Markdown, the text of docs/errors.md)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(markdown(), ending="")
