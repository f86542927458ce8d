"""After restoring a database backup: erase again every pupil erased since the backup was made."""

from django.core.management.base import BaseCommand

from bildungskette.transitions.erasure import erasure_reapply


class Command(BaseCommand):
    help = ("Wendet das Löschregister nach einer Wiederherstellung erneut an: Datensätze, die seit der Sicherung "
            "gelöscht wurden (Art. 17 DSGVO, Löschfristen), werden wieder gelöscht.")

    def handle(self, *args, **options):
        count = erasure_reapply()
        self.stdout.write(self.style.SUCCESS(f"{count} Datensätze gemäß Löschregister erneut gelöscht."))
