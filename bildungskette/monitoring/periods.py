"""Period codes: one spelling per kind, parsed into start, end and the year shown in series.

``2023`` calendar year · ``2022/23`` school year (1 Aug–31 Jul) · ``BJ2018/19`` BA reporting year
(1 Oct–30 Sep) · ``2019-08`` month · ``2019-09-30`` reference date (Stichtag) · ``2019-Q3`` quarter ·
``2019-H2`` half-year · ``WS2019/20`` winter semester (1 Oct–31 Mar) · ``SS2020`` summer semester (1 Apr–30 Sep).
"""

from __future__ import annotations

import calendar
import datetime
import re

from .models import PeriodKind

MONTHS_DE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def period_parse(code: str) -> dict:
    """Return the fields of a Period for ``code``; raises ValueError with a German message."""
    code = (code or "").strip()
    if m := re.fullmatch(r"(\d{4})", code):
        y = int(m[1])
        return {
            "code": code,
            "kind": PeriodKind.CALENDAR_YEAR,
            "label": code,
            "year": y,
            "start": datetime.date(y, 1, 1),
            "end": datetime.date(y, 12, 31),
        }
    if m := re.fullmatch(r"(\d{4})/(\d{2})", code):
        y = int(m[1])
        if (y + 1) % 100 != int(m[2]):
            raise ValueError(f"Schuljahr „{code}“ ist ungültig (erwartet z. B. 2022/23).")
        return {
            "code": code,
            "kind": PeriodKind.SCHOOL_YEAR,
            "label": f"Schuljahr {code}",
            "year": y + 1,
            "start": datetime.date(y, 8, 1),
            "end": datetime.date(y + 1, 7, 31),
        }
    if m := re.fullmatch(r"BJ(\d{4})/(\d{2})", code):
        y = int(m[1])
        if (y + 1) % 100 != int(m[2]):
            raise ValueError(f"Berichtsjahr „{code}“ ist ungültig (erwartet z. B. BJ2018/19).")
        return {
            "code": code,
            "kind": PeriodKind.REPORTING_YEAR,
            "label": f"Berichtsjahr {y}/{m[2]}",
            "year": y + 1,
            "start": datetime.date(y, 10, 1),
            "end": datetime.date(y + 1, 9, 30),
        }
    if m := re.fullmatch(r"(\d{4})-(\d{2})", code):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise ValueError(f"Monat „{code}“ ist ungültig.")
        last = calendar.monthrange(y, mo)[1]
        return {
            "code": code,
            "kind": PeriodKind.MONTH,
            "label": f"{MONTHS_DE[mo - 1]} {y}",
            "year": y,
            "start": datetime.date(y, mo, 1),
            "end": datetime.date(y, mo, last),
        }
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", code):
        try:
            day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise ValueError(f"Stichtag „{code}“ ist kein gültiges Datum.") from exc
        return {
            "code": code,
            "kind": PeriodKind.REFERENCE_DATE,
            "label": f"Stichtag {day:%d.%m.%Y}",
            "year": day.year,
            "start": day,
            "end": day,
        }
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        y, q = int(m[1]), int(m[2])
        last = calendar.monthrange(y, q * 3)[1]
        return {
            "code": code,
            "kind": PeriodKind.QUARTER,
            "label": f"{q}. Quartal {y}",
            "year": y,
            "start": datetime.date(y, q * 3 - 2, 1),
            "end": datetime.date(y, q * 3, last),
        }
    if m := re.fullmatch(r"(\d{4})-H([12])", code):
        y, h = int(m[1]), int(m[2])
        return {
            "code": code,
            "kind": PeriodKind.HALF_YEAR,
            "label": f"{h}. Halbjahr {y}",
            "year": y,
            "start": datetime.date(y, 1 if h == 1 else 7, 1),
            "end": datetime.date(y, 6, 30) if h == 1 else datetime.date(y, 12, 31),
        }
    if m := re.fullmatch(r"WS(\d{4})/(\d{2})", code):
        y = int(m[1])
        if (y + 1) % 100 != int(m[2]):
            raise ValueError(f"Wintersemester „{code}“ ist ungültig (erwartet z. B. WS2019/20).")
        return {
            "code": code,
            "kind": PeriodKind.SEMESTER,
            "label": f"Wintersemester {y}/{m[2]}",
            "year": y + 1,
            "start": datetime.date(y, 10, 1),
            "end": datetime.date(y + 1, 3, 31),
        }
    if m := re.fullmatch(r"SS(\d{4})", code):
        y = int(m[1])
        return {
            "code": code,
            "kind": PeriodKind.SEMESTER,
            "label": f"Sommersemester {y}",
            "year": y,
            "start": datetime.date(y, 4, 1),
            "end": datetime.date(y, 9, 30),
        }
    raise ValueError(
        f"Zeitraum „{code}“ ist unbekannt. Erlaubt: 2023, 2022/23 (Schuljahr), BJ2018/19 (Berichtsjahr), "
        "2019-08 (Monat), 2019-09-30 (Stichtag), 2019-Q3 (Quartal), 2019-H2 (Halbjahr), WS2019/20, SS2020."
    )


def school_year_code(end_year: int) -> str:
    return f"{end_year - 1}/{end_year % 100:02d}"
