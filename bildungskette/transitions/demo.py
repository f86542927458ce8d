"""Demo: the real KAoA catalogues, eight real Kassel schools with transition managers (seeds 001,
003), an E-Craft event with three synthetic companies, and a synthetic cohort of about 600
leavers a year over three years whose destination mix follows Kassel's iABE shares 2018
(seed 000: Berufsabschluss 8.3 %, Hochschulreife 63.6 %, Übergangsbereich 15.4 %, unbekannt 12.6 %).

Everything invented is flagged ``synthetic`` in the data and marked on screen. Idempotent.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bildungskette.core.audit import audit_record_import
from bildungskette.core.models import Tenant
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.organisations.services import organisation_ensure
from bildungskette.regions.selectors import region_place

from .importers import kaoa_import, olov_catalogue_ensure
from .models import (
    Activity,
    ActivityKind,
    Booking,
    BookingStatus,
    CompanyContact,
    Consent,
    Destination,
    DestinationKind,
    DestinationSource,
    Event,
    EventKind,
    FollowUp,
    Gender,
    LegalBasis,
    Outcome,
    Purpose,
    Qualification,
    School,
    Student,
    StudentStatus,
)
from .pseudonyms import pseudonym_from_key, source_key
from .selectors import KIND_ELEMENTS, catalogue_for_tenant, destination_options, occupational_fields
from .services import policy_for, school_ensure

# Seeds 001/003: transition managers at eight Kassel schools. Checked against the Hessen list
# (hessen_schulen_2016.json): each has a Realschul-Bildungsgang or is an integrierte Gesamtschule
# ("Integrierte Jahrgangsstufe").
DEMO_SCHOOLS = ["HE-7113", "HE-7136", "HE-7681", "HE-7682", "HE-8407", "HE-9232", "HE-9203", "HE-9248"]
SYNTHETIC_COMPANIES = [
    ("Elektro Nordhessen GmbH (synthetisch)", "EL", "E-Craft: Elektrotechnik zum Anfassen",
     "Elektroniker*in für Energie- und Gebäudetechnik: Schaltungen bauen, Messgeräte ausprobieren."),
    ("Autohaus Fuldatal KG (synthetisch)", "VL", "E-Craft: Kfz-Technik in der Werkstatt",
     "Kfz-Mechatroniker*in: Diagnose am Fahrzeug, Reifenwechsel, E-Antrieb."),
    ("Solarwerk Kassel eG (synthetisch)", "TEC", "E-Craft: Erneuerbare Energien auf dem Dach",
     "Anlagenmechaniker*in SHK und Elektroniker*in: Photovoltaik und Wärmepumpe."),
]
# Destination mix per iABE sector (seed 000, Kassel 2018); "unbekannt" 12.6 % is split into a
# residual 11.4 % unknown and 1.2 % explicitly without a next step, because schools record both.
SECTOR_SHARES = [("I", 0.083), ("II", 0.154), ("III", 0.636), ("unknown", 0.114), ("none", 0.012)]
SECTOR_OPTIONS = {
    "I": [("DUAL", 0.72), ("SCHUAUS", 0.12), ("SCHUGA", 0.11), ("BAE", 0.05)],
    "II": [("BFSII", 0.35), ("BVB", 0.25), ("EQ", 0.15), ("AV", 0.15), ("MASS", 0.10)],
    "III": [("FOS", 0.40), ("GY", 0.30), ("BERUFGY", 0.20), ("HÖBFS", 0.10)],
    "unknown": [("UNBE", 1.0)],
    "none": [("NOKEAN", 1.0)],
}
# Occupational fields of training places: the gender-typical pattern the seed wants to break.
FIELDS_BY_GENDER = {
    Gender.FEMALE: [("G", 0.30), ("SP", 0.20), ("WIVE", 0.25), ("D", 0.15), ("EL", 0.03), ("M", 0.02), ("ITC", 0.05)],
    Gender.MALE: [("M", 0.25), ("EL", 0.20), ("VL", 0.15), ("BAV", 0.12), ("ITC", 0.10), ("WIVE", 0.10), ("G", 0.03),
                  ("SP", 0.05)],
}
LEAVERS_PER_SCHOOL = 75  # × 8 schools = 600 a year


def _pick(rng: random.Random, weighted):
    value = rng.random()
    acc = 0.0
    for item, weight in weighted:
        acc += weight
        if value < acc:
            return item
    return weighted[-1][0]


def demo_load() -> list[str]:
    kaoa_import(settings.DATA_DIR / "kaoa")
    olov_catalogue_ensure()
    tenant = Tenant.objects.get(slug="olov-kassel")
    policy_for(tenant)
    policy_for(Tenant.objects.get(slug="bochum"))
    schools = []
    for external_id in DEMO_SCHOOLS:
        organisation = Organisation.objects.filter(external_id=external_id).first()
        if organisation is None:
            continue
        stadtteil = None
        if organisation.latitude is not None:
            stadtteil = region_place(organisation.latitude, organisation.longitude, tenant).get("stadtteil")
        schools.append(school_ensure(tenant=tenant, organisation=organisation, stadtteil=stadtteil))
    lines = []
    if not Student.objects.filter(tenant=tenant, synthetic=True).exists():
        with transaction.atomic():
            count = _cohort_create(tenant, schools)
        lines.append(f"  Übergänge: {count} synthetische Schüler*innen an {len(schools)} Kasseler Schulen")
    _events_create(tenant, schools)
    from .statistics import cohort_statistics_recompute, monitoring_publish

    cohort_statistics_recompute(tenant=tenant)
    monitoring_publish(tenant=tenant)
    return lines


def _school_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def _cohort_create(tenant, schools: list[School]) -> int:
    rng = random.Random(20191001)  # noqa: S311  (demo data, reproducible)
    today = timezone.localdate()
    start = _school_year_start(today)
    options = {o.code: o for o in destination_options(tenant)}
    fields = {f.code: f for f in occupational_fields()}
    catalogue = catalogue_for_tenant(tenant)
    elements = {e.code: e for e in catalogue.elements.all()} if catalogue else {}
    element_for = {kind: elements.get(codes[1] if catalogue.kind == "olov" else codes[0])
                   for kind, codes in KIND_ELEMENTS.items()} if catalogue else {}
    students: list[Student] = []
    plans: list[tuple[int, dict]] = []

    def new_student(school, grade, class_name, status, leaving_year=None):
        key = source_key(school.pk, f"demo|{len(students)}|{class_name}|{leaving_year}")
        gender = _pick(rng, [(Gender.FEMALE, 0.49), (Gender.MALE, 0.49), (Gender.DIVERSE, 0.01),
                             (Gender.UNSTATED, 0.01)])
        qualification = _pick(rng, [(Qualification.RSA, 0.55), (Qualification.HSA, 0.30), (Qualification.QHSA, 0.1),
                                    (Qualification.NONE, 0.05)])
        student = Student(tenant=tenant, school=school, pseudonym=pseudonym_from_key(key), source_key=key,
                          grade=grade, class_name=class_name, gender=gender, expected_qualification=qualification,
                          status=status, leaving_year=leaving_year, synthetic=True,
                          left_on=datetime.date(leaving_year, 6, 30) if leaving_year else None)
        students.append(student)
        return student

    for school in schools:
        for grade in (7, 8, 9, 10):
            for letter in "ab":
                for _ in range(rng.randint(19, 25)):
                    student = new_student(school, grade, f"{grade}{letter}", StudentStatus.ACTIVE)
                    plans.append((len(students) - 1, {"grade": grade}))
        for offset in (2, 1, 0):
            year = start - offset
            # A slowly falling unknown rate over the three years (a trend to see, not a fact).
            drift = {2: 0.02, 1: 0.0, 0: -0.015}[offset]
            for _ in range(LEAVERS_PER_SCHOOL + rng.randint(-4, 4)):
                student = new_student(school, 10, f"10{rng.choice('ab')}", StudentStatus.LEFT, leaving_year=year)
                shares = [(s, w + (drift if s == "unknown" else (-drift if s == "III" else 0))) for s, w in
                          SECTOR_SHARES]
                plans.append((len(students) - 1, {"grade": 10, "leaver": True, "sector": _pick(rng, shares),
                                                  "year": year, "latest": offset == 0}))

    activities, destinations, follow_ups, consents = [], [], [], []

    def activity(student, kind, day, **extra):
        activities.append(Activity(tenant=tenant, student=student, kind=kind, on_date=day,
                                   element=element_for.get(kind), **extra))

    for index, plan in plans:
        student = students[index]
        grade = plan["grade"]
        def year_of_grade(g, plan=plan, grade=grade):
            return plan["year"] - 1 - (10 - g) if plan.get("leaver") else start - (grade - g)

        if grade >= 8 and rng.random() < 0.93:
            activity(student, ActivityKind.POTENTIAL_ANALYSIS, datetime.date(year_of_grade(8), 10, rng.randint(1, 28)))
        if grade >= 8 and rng.random() < (0.85 if grade > 8 else 0.55):
            field = fields[_pick(rng, [(c, 1 / 16) for c in fields])]
            activity(student, ActivityKind.BFE, datetime.date(year_of_grade(8) + 1, 3, rng.randint(1, 28)),
                     occupational_field=field)
        if grade >= 9 and rng.random() < 0.88:
            activity(student, ActivityKind.INTERNSHIP, datetime.date(year_of_grade(9) + 1, 2, rng.randint(1, 20)),
                     occupation=rng.choice(["Kauffrau/-mann im Einzelhandel", "Kfz-Mechatroniker*in",
                                            "Medizinische*r Fachangestellte*r", "Elektroniker*in",
                                            "Erzieher*in", "Fachinformatiker*in"]))
        if grade >= 9 and rng.random() < 0.6:
            activity(student, ActivityKind.COUNSELLING_BA, datetime.date(year_of_grade(9), 11, rng.randint(1, 28)))
        if grade >= 7 and rng.random() < 0.5:
            activity(student, ActivityKind.EVENT, datetime.date(year_of_grade(7) + 1, 5, rng.randint(1, 28)))
        if grade == 10 and rng.random() < 0.7:
            activity(student, ActivityKind.APPLICATION_TRAINING,
                     datetime.date(year_of_grade(10), 9, rng.randint(1, 28)))
        if not plan.get("leaver"):
            if grade == 10 and rng.random() < 0.72:
                code = _pick(rng, SECTOR_OPTIONS[_pick(rng, [("I", 0.2), ("II", 0.2), ("III", 0.6)])])
                destinations.append(Destination(tenant=tenant, student=student, kind=DestinationKind.PLANNED,
                                                option=options[code], on_date=datetime.date(start, 11, 15)))
                student.planned_option = options[code]
            continue
        sector = plan["sector"]
        option = options[_pick(rng, SECTOR_OPTIONS[sector])]
        field = None
        if sector == "I" and student.gender in FIELDS_BY_GENDER:
            field = fields.get(_pick(rng, FIELDS_BY_GENDER[student.gender]))
        day = datetime.date(plan["year"], 9, 30)
        source = _pick(rng, [(DestinationSource.SCHOOL, 0.6), (DestinationSource.AGENCY, 0.2),
                             (DestinationSource.SELF_REPORT, 0.1), (DestinationSource.FOLLOW_UP, 0.1)])
        destinations.append(Destination(tenant=tenant, student=student, kind=DestinationKind.ACTUAL, option=option,
                                        on_date=day, source=source, occupational_field=field))
        student.actual_option, student.actual_outcome = option, option.outcome
        student.actual_sector, student.actual_field = option.iabe_sector, field
        if option.outcome in {Outcome.UNKNOWN, Outcome.NO_NEXT_STEP} and plan["latest"]:
            follow_ups.append(FollowUp(tenant=tenant, student=student, reason=option.outcome,
                                       due_on=day + datetime.timedelta(days=rng.randint(-20, 40))))
            consents.append(Consent(tenant=tenant, student=student, purpose=Purpose.HANDOVER,
                                    legal_basis=LegalBasis.SGB_III_31A, given_on=day))
    activities = [a for a in activities if a.on_date <= today]  # nothing recorded in advance
    # Students go in last-but-first: their current next steps are already set, so no bulk update is
    # needed; the related rows pick up the new primary keys when they are saved.
    Student.objects.bulk_create(students, batch_size=1000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    Destination.objects.bulk_create(destinations, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    Consent.objects.bulk_create(consents, batch_size=1000)
    audit_record_import(tenant=tenant, model_label="transitions.Student", description="Synthetische Demo-Kohorte",
                        summary={"students": len(students), "activities": len(activities),
                                 "destinations": len(destinations), "synthetic": True})
    return len(students)


def _events_create(tenant, schools: list[School]) -> None:
    fields = {f.code: f for f in occupational_fields()}
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(3 - today.weekday()) % 7 + 21)  # a Thursday three weeks ahead
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    events = []
    for name, field_code, title, description in SYNTHETIC_COMPANIES:
        company = organisation_ensure(tenant=tenant, name=name, type=OrganisationType.BETRIEB, city="Kassel",
                                      source="synthetische Demodaten", facts={"synthetic": True})
        slug = name.split()[0].lower()
        CompanyContact.objects.get_or_create(tenant=tenant, organisation=company, email=f"ausbildung@{slug}.example",
                                             defaults={"name": f"Ausbildungsleitung {name.split(' (')[0]}"})
        event = Event.objects.filter(tenant=tenant, organisation=company, title=title).first()
        if event is None:
            event = Event.objects.create(
                tenant=tenant, organisation=company, kind=EventKind.EVENT, title=title, description=description,
                occupational_field=fields.get(field_code), starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=4),
                location="Kassel, Berufsorientierungstag E-Craft", capacity=12, is_public=True, is_synthetic=True)
        events.append(event)
    waldau = next((s for s in schools if s.organisation.external_id == "HE-9203"), None)
    if waldau and not Booking.objects.filter(event__in=events).exists():
        pupils = list(Student.objects.filter(school=waldau, status=StudentStatus.ACTIVE, grade=9).order_by("pk")[:8])
        bookings = []
        for i, pupil in enumerate(pupils):
            event = events[i % len(events)]
            status = BookingStatus.CONFIRMED if i < 3 else BookingStatus.REQUESTED
            bookings.append(Booking(tenant=tenant, event=event, student=pupil, status=status,
                                    confirmed_at=timezone.now() if status == BookingStatus.CONFIRMED else None))
        Booking.objects.bulk_create(bookings)
