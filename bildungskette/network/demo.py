"""Demo: the bodies of the seed municipalities with their real member institutions.

What the seeds say is loaded as fact (members, yearly chair alternation, the three Facharbeits-
gruppen, the Strategieklausur early 2016 and its results, the Arbeitsbündnis of 9 December 2013).
What the seeds do not say (exact dates, the wording of individual commitments, follow-up meetings)
is marked synthetic in the data (``is_synthetic``) and on every page that shows it.
Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bildungskette.core.models import Tenant
from bildungskette.organisations.demo import BOCHUM_OTHERS, BOCHUM_STEERING_GROUP, KASSEL_STEERING_GROUP
from bildungskette.organisations.models import Organisation, OrganisationType, Person
from bildungskette.organisations.services import person_create
from bildungskette.regions.selectors import region_by_code

from .models import (
    ActionItem,
    ActionItemStatus,
    AgreementStatus,
    BodyType,
    CommitmentStatus,
    CooperationAgreement,
    Meeting,
    MeetingStatus,
    MembershipRole,
)
from .services import (
    action_item_create,
    agenda_item_add,
    agreement_create,
    body_ensure,
    chair_rotation_set,
    commitment_add,
    decision_record,
    meeting_create,
    membership_ensure,
)

SEED_000 = "Seed 000: OloV-Forum 2019, Stadt Kassel (Amt für Schule und Bildung)"
SEED_001 = "Seed 001: Stadt Kassel, Kommunale Koordinierung am Übergang Schule–Beruf (2014)"
SEED_004 = "Seed 004: KAoA Bochum – „Gelungene Zusammenarbeit im Steuergremium – Strategieklausur“"
STEERING_KEY_PARTNERS = [
    OrganisationType.AGENTUR_FUER_ARBEIT,
    OrganisationType.SCHULAMT,
    OrganisationType.KOMMUNE,
]
ALLIANCE_KEY_PARTNERS = [
    OrganisationType.AGENTUR_FUER_ARBEIT,
    OrganisationType.JOBCENTER,
    OrganisationType.SCHULE,
    OrganisationType.JUGENDAMT,
]


def _orgs(tenant, rows) -> dict[str, Organisation]:
    names = [row[0] for row in rows]
    found = {o.name: o for o in Organisation.objects.filter(tenant=tenant, name__in=names)}
    missing = set(names) - set(found)
    if missing:
        raise RuntimeError(f"Organisationen fehlen (organisations.demo zuerst laden): {sorted(missing)}")
    return found


def _at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _kassel(tenant) -> list[str]:
    orgs = _orgs(tenant, KASSEL_STEERING_GROUP)
    city = Organisation.objects.filter(tenant=tenant, name="Stadt Kassel – Jugendamt").first()
    steering = body_ensure(
        tenant=tenant,
        name="OloV-Steuerungsgruppe Region Kassel",
        short_name="OloV-SG Kassel",
        type=BodyType.STEERING_GROUP,
        is_public=True,
        region=region_by_code("06611"),
        field_of_action="Übergang Schule–Beruf (OloV)",
        mandate="Steuert die OloV-Strategie (Optimierung der lokalen Vermittlungsarbeit) für Stadt und "
        "Landkreis "
        "Kassel und vereinbart die regionalen Zielvereinbarungen. Oberziele der regionalen Strategie "
        "2017–2020: "
        "1. professions- und institutionsübergreifende Vernetzung, 2. direkte Begegnungen zwischen "
        "Jugendlichen "
        "und Betrieben stärken, 3. gute Übergänge für alle. (" + SEED_000 + ")",
        key_partner_types=STEERING_KEY_PARTNERS,
    )
    for name, short, *_rest in KASSEL_STEERING_GROUP:
        # The seed names the institutions, not their delegates: one clearly synthetic address each, so
        # that invitations can be tried out (the demo sends e-mail to the console only).
        slug = slugify(short)[:40]
        delegate = Person.objects.filter(
            tenant=tenant, organisation=orgs[name], email=f"olov-{slug}@example.org"
        ).first()
        if delegate is None:
            delegate = person_create(
                tenant=tenant,
                organisation=orgs[name],
                name=f"Delegierte*r {short} (Beispiel)",
                function="synthetisch – Beispieladresse für die Demo",
                email=f"olov-{slug}@example.org",
            )
        membership_ensure(body=steering, organisation=orgs[name], role=MembershipRole.MEMBER, delegates=[delegate])

    alliance = body_ensure(
        tenant=tenant,
        name="Arbeitsbündnis „Jugend und Beruf“ Kassel",
        short_name="Jugend und Beruf",
        type=BodyType.ALLIANCE,
        is_public=True,
        region=region_by_code("06611"),
        field_of_action="Übergang Schule–Beruf",
        founded_on=datetime.date(2013, 12, 9),
        mandate="Verbindliche und abgestimmte Zusammenarbeit von Agentur für Arbeit, Jobcenter, Schulen "
        "und Stadt "
        "am Übergang Schule–Beruf auf Grundlage der Kooperationsvereinbarung vom 9. Dezember 2013. (" + SEED_001 + ")",
        key_partner_types=ALLIANCE_KEY_PARTNERS,
        parent=None,
    )
    parties = [
        orgs["Agentur für Arbeit Kassel"],
        orgs["Jobcenter Stadt Kassel"],
        orgs["Schulen (allgemeinbildende und berufliche) der Region Kassel"],
    ]
    if city is not None:
        parties.append(city)
    for org in parties:
        membership_ensure(
            body=alliance, organisation=org, role=MembershipRole.MEMBER, start_date=datetime.date(2013, 12, 9)
        )

    agreement = CooperationAgreement.objects.filter(tenant=tenant, title__startswith="Arbeitsbündnis").first()
    if agreement is None:
        agreement = agreement_create(
            tenant=tenant,
            title="Arbeitsbündnis „Jugend und Beruf“ – Kooperationsvereinbarung",
            subject="Verbindliche und abgestimmte Zusammenarbeit mit Agentur für Arbeit und Jobcenter sowie "
            "Schulen am Übergang Schule–Beruf in Kassel.",
            parties=parties,
            body=alliance,
            signed_on=datetime.date(2013, 12, 9),
            signed_at_place="Kassel",
            valid_from=datetime.date(2013, 12, 9),
            status=AgreementStatus.ACTIVE,
            is_public=True,
            review_on=timezone.localdate() + datetime.timedelta(days=45),
            reminder_days=60,
            source=SEED_001 + ": „Arbeitsbündnis ‚Jugend und Beruf‘ – Kooperationsvereinbarung vom 09. Dezember "
            "2013 umsetzen“",
        )
        # The seed names the parties, not the wording of their commitments: these are illustrations.
        commitments = [
            (
                "Agentur für Arbeit Kassel",
                "Berufsberatung in allen Abgangsklassen der beteiligten Schulen mit festen Sprechzeiten an der Schule.",
                CommitmentStatus.FULFILLED,
                "Sprechzeitenplan der Berufsberatung für das Schuljahr liegt vor.",
            ),
            (
                "Agentur für Arbeit Kassel",
                "Rückmeldung über Jugendliche ohne Anschluss an die Koordinierungsstelle "
                "im Rahmen der rechtlichen Möglichkeiten.",
                CommitmentStatus.IN_PROGRESS,
                "",
            ),
            (
                "Jobcenter Stadt Kassel",
                "Ansprechperson U25 für jede beteiligte Schule benennen.",
                CommitmentStatus.FULFILLED,
                "Liste der Ansprechpersonen U25 an die Schulen versandt.",
            ),
            (
                "Jobcenter Stadt Kassel",
                "Gemeinsame Fallbesprechungen mit Berufsberatung und Jugendhilfe (rechtskreisübergreifend) einführen.",
                CommitmentStatus.OPEN,
                "",
            ),
            (
                "Schulen (allgemeinbildende und berufliche) der Region Kassel",
                "Berufsorientierung ab Jahrgang 7 im Schulcurriculum verankern (OloV-Standard BO2).",
                CommitmentStatus.IN_PROGRESS,
                "",
            ),
            (
                "Schulen (allgemeinbildende und berufliche) der Region Kassel",
                "Übergangsmanager*innen in die Abstimmung der Anschlussplanung einbeziehen.",
                CommitmentStatus.FULFILLED,
                "Übergangsmanagement an 8 Schulen (Seed 001).",
            ),
        ]
        if city is not None:
            commitments.append(
                (
                    "Stadt Kassel – Jugendamt",
                    "Koordinierungsstelle Übergang Schule–Beruf beim Jugendamt führt die Geschäfte des Bündnisses.",
                    CommitmentStatus.FULFILLED,
                    "Koordinationsstelle beim Jugendamt, Abteilung Kinder- und Jugendförderung (Seed 001).",
                )
            )
        by_name = {p.name: p for p in parties}
        for party_name, text, status, evidence in commitments:
            commitment_add(
                agreement=agreement,
                party=by_name[party_name],
                text=text,
                status=status,
                evidence=evidence,
                is_synthetic=True,
            )

    # An illustrative meeting of the steering group with minutes and open follow-up, relative to today,
    # so that the start pages and the "offene Aufgaben" overview show what the work looks like.
    lines = []
    if not Meeting.objects.filter(body=steering, is_synthetic=True).exists():
        today = timezone.localdate()
        past_day = today - datetime.timedelta(days=40)
        past = meeting_create(
            body=steering,
            title="Sitzung der OloV-Steuerungsgruppe (Beispiel)",
            starts_at=_at(past_day.year, past_day.month, past_day.day, 9, 30),
            location="Kassel (Beispielort)",
            is_synthetic=True,
            status=MeetingStatus.HELD,
            minutes_summary="Beispielprotokoll (synthetisch) zur Vorführung der Plattform.",
        )
        top1 = agenda_item_add(
            meeting=past,
            title="Regionale Zielvereinbarung: Stand der Umsetzung",
            presenter="Koordination OloV",
            presenter_organisation=orgs["Stadt und Landkreis Kassel"],
            duration_minutes=30,
            minutes="Die Mitglieder berichten über den Stand.",
        )
        top2 = agenda_item_add(
            meeting=past,
            title="Direkte Begegnungen zwischen Jugendlichen und Betrieben",
            presenter="IHK Kassel-Marburg",
            presenter_organisation=orgs["IHK Kassel-Marburg"],
            duration_minutes=45,
        )
        agenda_item_add(meeting=past, parent=top2, title="Ausbildungsbörse: Termin und Beteiligte", duration_minutes=15)
        d1 = decision_record(
            meeting=past,
            agenda_item=top1,
            is_synthetic=True,
            text="Die Steuerungsgruppe beauftragt die Koordination, den Datenbericht zur "
            "Zielvereinbarung bis zur nächsten Sitzung vorzulegen.",
        )
        d2 = decision_record(
            meeting=past,
            agenda_item=top2,
            is_synthetic=True,
            votes_yes=11,
            votes_no=0,
            votes_abstain=0,
            text="Die Ausbildungsbörse wird gemeinsam von IHK, Handwerkskammer und Agentur für Arbeit ausgerichtet.",
        )
        action_item_create(
            body=steering,
            meeting=past,
            decision=d1,
            is_synthetic=True,
            title="Datenbericht zur Zielvereinbarung vorlegen",
            owner_organisation=orgs["Stadt und Landkreis Kassel"],
            due_date=today - datetime.timedelta(days=5),
        )
        action_item_create(
            body=steering,
            meeting=past,
            decision=d2,
            is_synthetic=True,
            title="Termin und Räume der Ausbildungsbörse abstimmen",
            owner_organisation=orgs["IHK Kassel-Marburg"],
            due_date=today + datetime.timedelta(days=20),
        )
        action_item_create(
            body=steering,
            meeting=past,
            decision=d2,
            is_synthetic=True,
            title="Schulen über die Ausbildungsbörse informieren",
            owner_organisation=orgs["Agentur für Arbeit Kassel"],
            due_date=today + datetime.timedelta(days=30),
            status=ActionItemStatus.IN_PROGRESS,
        )
        next_day = today + datetime.timedelta(days=21)
        upcoming = meeting_create(
            body=steering,
            title="Sitzung der OloV-Steuerungsgruppe (Beispiel)",
            starts_at=_at(next_day.year, next_day.month, next_day.day, 9, 30),
            location="Kassel (Beispielort)",
            is_synthetic=True,
            status=MeetingStatus.PLANNED,
        )
        agenda_item_add(meeting=upcoming, title="Protokoll der letzten Sitzung", duration_minutes=5)
        agenda_item_add(
            meeting=upcoming,
            title="Datenbericht zur Zielvereinbarung",
            presenter="Koordination OloV",
            duration_minutes=40,
        )
        lines.append("  Netzwerk: Beispielsitzungen der OloV-Steuerungsgruppe (synthetisch) angelegt")
    return lines


def _bochum(tenant) -> list[str]:
    orgs = _orgs(tenant, BOCHUM_STEERING_GROUP + BOCHUM_OTHERS)
    schulamt = orgs["Schulamt für die Stadt Bochum (untere Schulaufsicht)"]
    agentur = orgs["Agentur für Arbeit Bochum"]
    koko = orgs["Stadt Bochum – Schulverwaltungsamt (Kommunale Koordinierungsstelle)"]
    region = region_by_code("05911")
    steering = body_ensure(
        tenant=tenant,
        name="Steuerungsgremium KAoA Bochum",
        short_name="Steuergremium KAoA",
        type=BodyType.STEERING_GROUP,
        is_public=True,
        region=region,
        field_of_action="Kommunale Koordinierung (KAoA)",
        mandate="Steuert die Umsetzung des Landesvorhabens „Kein Abschluss ohne Anschluss“ in Bochum; alle "
        "Akteure am Übergang Schule–Arbeitswelt wirken mit. Der Vorsitz wird gemeinsam durch den "
        "Generalisten "
        "„Berufsorientierung“ des Schulamtes und die Leitung der Agentur für Arbeit ausgeübt und wechselt "
        "jährlich. (" + SEED_004 + ")",
        key_partner_types=STEERING_KEY_PARTNERS,
    )
    for name, *_rest in BOCHUM_STEERING_GROUP:
        org = orgs[name]
        role = MembershipRole.CO_CHAIR if org in (schulamt, agentur) else MembershipRole.MEMBER
        membership_ensure(body=steering, organisation=org, role=role)
    chair_rotation_set(
        body=steering,
        starts_on=datetime.date(2013, 8, 1),
        organisations=[schulamt, agentur],
        term_months=12,
        labels=["Generalist „Berufsorientierung“ des Schulamtes", "Leitung der Agentur für Arbeit"],
        description="Jährlicher Wechsel zwischen Schulamt und Agentur für Arbeit (Seed 004). Beginn mit dem "
        "Schuljahr 2013/14 und die Reihenfolge sind angenommen; die Quelle nennt nur den jährlichen Wechsel.",
    )
    groups = [
        ("Facharbeitsgruppe Berufs- und Studienorientierung", "FAG BSO", "Studien- und Berufsorientierung"),
        ("Facharbeitsgruppe Übergangssystem", "FAG Übergangssystem", "Übergangssystem"),
        ("Facharbeitsgruppe duale Ausbildung", "FAG duale Ausbildung", "Attraktivität der dualen Ausbildung"),
    ]
    fags = {}
    for name, short, field in groups:
        fags[field] = body_ensure(
            tenant=tenant,
            name=name,
            short_name=short,
            type=BodyType.WORKING_GROUP,
            parent=steering,
            field_of_action=field,
            region=region,
            key_partner_types=[OrganisationType.AGENTUR_FUER_ARBEIT],
            mandate="Operationalisiert die strategischen Ziele des Steuerungsgremiums im Handlungsfeld „"
            + field
            + "“. ("
            + SEED_004
            + ")",
        )
        # The seed does not list the groups' members; the coordination office organises them.
        membership_ensure(
            body=fags[field],
            organisation=koko,
            role=MembershipRole.SECRETARIAT,
            note="Geschäftsführung durch die Kommunale Koordinierungsstelle (angenommen)",
        )
    for name, short, mandate in [
        (
            "Arbeitskreis StuBO Bochum",
            "AK StuBO",
            "Format für die Studien- und Berufswahlkoordinator*innen (StuBO) der Schulen.",
        ),
        (
            "Schulleitungsformat KAoA Bochum",
            "SL-Format",
            "Format für die Schulleitungen zur Umsetzung von KAoA.",
        ),
    ]:
        body_ensure(
            tenant=tenant,
            name=name,
            short_name=short,
            type=BodyType.WORKING_CIRCLE,
            parent=steering,
            field_of_action="Studien- und Berufsorientierung",
            region=region,
            mandate=mandate + " (" + SEED_004 + ")",
        )
    committee = body_ensure(
        tenant=tenant,
        name="Ausschuss für Schule und Bildung der Stadt Bochum",
        short_name="Schulausschuss",
        type=BodyType.COMMITTEE,
        is_public=True,
        region=region,
        mandate="Politischer Ausschuss des Rates; die Zielformulierungen des Steuergremiums wurden ihm "
        "vorgestellt "
        "(" + SEED_004 + ").",
    )
    network = body_ensure(
        tenant=tenant,
        name="Kooperation der Kommunalen Koordinierungsstellen Bochum und Herne",
        short_name="KoKo Bochum–Herne",
        type=BodyType.NETWORK,
        region=region,
        mandate="Enge und regelmäßige Zusammenarbeit der Kommunalen Koordinierungsstellen über die "
        "kommunalen "
        "Grenzen hinweg (" + SEED_004 + ").",
    )
    membership_ensure(body=network, organisation=koko, role=MembershipRole.MEMBER)
    membership_ensure(
        body=network,
        organisation=orgs["Stadt Herne – Kommunale Koordinierungsstelle"],
        role=MembershipRole.MEMBER,
    )

    lines = []
    if not Meeting.objects.filter(body=steering, title__startswith="Strategieklausur").exists():
        # "zu Beginn des Jahres 2016": the exact day is not in the source; 1 February is a placeholder.
        klausur = meeting_create(
            body=steering,
            title="Strategieklausur des Steuerungsgremiums",
            starts_at=_at(2016, 2, 1, 9, 0),
            ends_at=_at(2016, 2, 1, 16, 0),
            status=MeetingStatus.MINUTES_APPROVED,
            location="Bochum (Ort nicht überliefert)",
            invitation_text="Moderation: fachliche Begleitung der G.I.B. Eingeladen ist auch der "
            "Oberbürgermeister. "
            "Datum angenommen – die Quelle nennt „zu Beginn des Jahres 2016“.",
            minutes_summary="Zwischenbilanz der ersten beiden Jahre gemeinsamer Arbeit; Ausrichtung und "
            "Strategien ab "
            "dem Schuljahr 2016/2017. Alle Mitglieder haben sich an der Zielfindung beteiligt. (" + SEED_004 + ")",
        )
        agenda_item_add(
            meeting=klausur,
            title="Zwischenbilanz: Erfolge und Herausforderungen der ersten beiden Jahre",
            presenter="Kommunale Koordinierungsstelle",
            presenter_organisation=koko,
            minutes="Bisherige Erfolge der Umsetzung sowie die Herausforderungen wurden beleuchtet.",
        )
        top2 = agenda_item_add(
            meeting=klausur,
            title="Strategische Umsetzungsziele für alle Handlungsfelder ab 2016/2017",
            presenter="Moderation G.I.B.",
            minutes="Schwerpunkt: „Systematisierung des Übergangs“ und „Attraktivität des Dualen Systems“.",
        )
        agenda_item_add(meeting=klausur, parent=top2, title="Handlungsfeld Systematisierung des Übergangs")
        agenda_item_add(meeting=klausur, parent=top2, title="Handlungsfeld Attraktivität des Dualen Systems")
        top3 = agenda_item_add(
            meeting=klausur,
            title="Arbeitsweise des Steuerungsgremiums",
            minutes="Der gemeinsame Workshop wurde als sehr produktiv erfahren.",
        )
        d_goals = decision_record(
            meeting=klausur,
            agenda_item=top2,
            reference="SG-KAoA/2016/01",
            text="Für alle Handlungsfelder werden strategische Umsetzungsziele ab dem Schuljahr "
            "2016/2017 festgelegt; "
            "Schwerpunkte sind die Systematisierung des Übergangs und die Attraktivität des Dualen Systems.",
        )
        d_method = decision_record(
            meeting=klausur,
            agenda_item=top3,
            reference="SG-KAoA/2016/02",
            text="Der Workshop wird themenbezogen als neue Arbeitsmethode im Steuerungsgremium fortgeführt.",
        )
        done = ActionItemStatus.DONE
        action_item_create(
            body=steering,
            meeting=klausur,
            decision=d_goals,
            title="Strategische Ziele in einer weiteren Sitzung ausschärfen",
            owner_organisation=koko,
            status=done,
        )
        for field, fag in fags.items():
            action_item_create(
                body=steering,
                meeting=klausur,
                decision=d_goals,
                owner_organisation=koko,
                title=f"Ziele in der {fag.short_name} operationalisieren ({field})",
                status=done,
            )
        action_item_create(
            body=steering,
            meeting=klausur,
            decision=d_goals,
            owner_organisation=schulamt,
            title="Zielformulierungen im Ausschuss für Schule und Bildung vorstellen (Vorsitzende des Steuergremiums)",
            status=done,
        )
        action_item_create(
            body=steering,
            meeting=klausur,
            decision=d_method,
            owner_organisation=koko,
            title="Nächsten themenbezogenen Workshop des Steuerungsgremiums vorbereiten",
            status=done,
        )
        for item in ActionItem.objects.filter(meeting=klausur):
            item.completed_on = datetime.date(2016, 8, 1)
            item.save(update_fields=["completed_on"])
        presentation = meeting_create(
            body=committee,
            title="Sitzung des Ausschusses für Schule und Bildung",
            starts_at=_at(2016, 3, 15, 15, 0),
            status=MeetingStatus.HELD,
            invitation_text="Datum angenommen – die Quelle nennt „die darauf folgende Sitzung“ nach der Klausur.",
        )
        agenda_item_add(
            meeting=presentation,
            title="Kein Abschluss ohne Anschluss: Zielformulierungen des Steuerungsgremiums",
            presenter="Vorsitzende des Steuergremiums",
            minutes="Die Ziele wurden interessiert aufgenommen und diskutiert (" + SEED_004 + ").",
        )
        lines.append("  Netzwerk: Strategieklausur Bochum 2016 mit Beschlüssen und Aufgaben angelegt")
    return lines


def demo_load() -> list[str]:
    with transaction.atomic():
        lines = []
        kassel = Tenant.objects.filter(slug="olov-kassel").first()
        bochum = Tenant.objects.filter(slug="bochum").first()
        if kassel is not None:
            lines += _kassel(kassel)
        if bochum is not None:
            lines += _bochum(bochum)
    return lines
