from django.core.management.base import BaseCommand

from bildungskette.core.audit import audit_actor
from bildungskette.places.services import verification_reminders_send


class Command(BaseCommand):
    help = ("Erinnert Anbieter per E-Mail, ihre Lernorte und Angebote zu bestätigen, wenn diese seit über "
            "einem Jahr nicht bestätigt wurden (höchstens alle 30 Tage je Eintrag).")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Adresse der Plattform für den Link, z. B. https://…")

    def handle(self, *args, base_url="", **options):
        with audit_actor(None, "Erinnerung Lernortkarte"):
            result = verification_reminders_send(base_url=base_url)
        self.stdout.write(self.style.SUCCESS(result.summary()))
