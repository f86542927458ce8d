"""`bildungskette tenant create …`: the operator's wizard on the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from bildungskette.core.audit import audit_actor
from bildungskette.core.invitations import invitation_path
from bildungskette.core.models import Tenant
from bildungskette.core.services import invitation_send

from ...forms import module_choices
from ...models import Region, RegionKind
from ...services import tenant_onboard


class Command(BaseCommand):
    help = "Mandanten verwalten: `tenant create --name … --gebiet AGS … --admin-email …` legt eine Kommune an."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Neue Kommune mit Gebiet, Modulen und erster Administration")
        create.add_argument("--name", required=True, help="z. B. „Kreis Lippe“")
        create.add_argument("--gebiet", "--area", dest="areas", nargs="+", required=True,
                            help="amtliche Schlüssel (AGS), z. B. 05766; das erste ist das Hauptgebiet")
        create.add_argument("--module", "--modules", dest="modules", default="",
                            help="Kommagetrennt, z. B. places,network (Standard: alle)")
        create.add_argument("--admin-email", required=True)
        create.add_argument("--basis-url", "--base-url", dest="base_url", default="http://127.0.0.1:8000",
                            help="Adresse der Plattform für den Einladungslink")

    def handle(self, *args, subcommand=None, **options):
        name = options["name"].strip()
        slug = slugify(name)[:60]
        if Tenant.objects.filter(name__iexact=name).exists() or Tenant.objects.filter(slug=slug).exists():
            raise CommandError(f"Einen Mandanten „{name}“ gibt es schon.")
        regions = []
        for code in options["areas"]:
            region = Region.objects.filter(code=code, tenant__isnull=True).exclude(kind=RegionKind.STADTTEIL).first()
            if region is None:
                raise CommandError(f"Gebiet mit dem Schlüssel {code} nicht gefunden (erst `import-regions`?).")
            regions.append(region)
        available = [c for c, _label in module_choices()]
        modules = [m.strip() for m in options["modules"].split(",") if m.strip()] or available
        unknown = sorted(set(modules) - set(available))
        if unknown:
            raise CommandError(f"Unbekannte Module: {', '.join(unknown)} (vorhanden: {', '.join(available)})")
        with audit_actor(None, "Kommandozeile"):
            tenant, admin = tenant_onboard(name=name, slug=slug, regions=regions, modules=modules,
                                           admin_email=options["admin_email"])
        link = options["base_url"].rstrip("/") + invitation_path(admin)
        invitation_send(user=admin, link=link, tenant=tenant)
        self.stdout.write(f"Mandant „{tenant.name}“ angelegt ({', '.join(r.name for r in regions)}).")
        self.stdout.write(f"Einladungslink für {admin.email}:\n{link}")
