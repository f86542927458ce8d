"""The KldB 2010 occupation column of BA tables, read the same way by every BA reader.

Both the documented balance layout (``importers/ba.py``: a ``KldB`` column with the bare code) and
the tables as the BA delivers them (``sources/ba_delivered.py``: ``Beruf (KldB 2010)`` with
``code title``) go through ``KldbColumn``: the code is the leading 1–5 digits of the cell, checked
against the classification (KldB 2010 – Fassung 2020, ``bildungskette/data/occupations``), and the
occupations met become the ``kldb`` breakdown. ``Insgesamt`` or an empty cell is the total (no
category). A label without a code – BA custom orders carry e.g. „ohne Angabe zum Zielberuf“ (layout
documented by the R package badata, github.com/RegioHub/badata, ``data-raw/region_occupation_codes.R``)
– becomes the category ``ohne-angabe`` under its own label instead of being mistaken for the total.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

from bildungskette.core.datafiles import data_path, data_text

BREAKDOWN = "kldb"
BREAKDOWN_NAME = "Beruf (KldB 2010)"
NOTE = "Berufe nach KldB 2010 – Fassung 2020 (Quelle: Statistik der Bundesagentur für Arbeit)"
WITHOUT_CODE = "ohne-angabe"
CODE = re.compile(r"^\s*(\d{1,5})(?:\s|$)")
TOTALS = ("", "insgesamt", "zusammen", "alle berufe")


@lru_cache(maxsize=1)
def kldb_titles() -> dict[str, str]:
    """KldB 2010 (Fassung 2020) codes → titles; leading zeros rebuilt as key.zfill(level)."""
    path = data_path("occupations/kldb2010_v2020.csv")
    titles = {}
    if path.exists():
        reader = csv.reader(io.StringIO(data_text(path), newline=""), delimiter=";")
        next(reader, None)
        for row in reader:
            if len(row) > 2 and row[0].strip().isdigit() and row[1].strip().isdigit():
                titles[row[0].strip().zfill(int(row[1]))] = row[2].strip()
    return titles


class KldbColumn:
    """Reads one table's occupation cells and collects the occupations met."""

    def __init__(self):
        self.titles = kldb_titles()
        self.occupations: dict[str, str] = {}

    def read(self, cell: str) -> dict[str, str]:
        """The category of a cell: ``{}`` for the total, ``{"kldb": code}`` otherwise.

        Raises ``ValueError`` with a German message for a code that is not in the classification.
        """
        text = " ".join((cell or "").split())
        if text.lower() in TOTALS:
            return {}
        match = CODE.match(text)
        if match is None:
            self.occupations[WITHOUT_CODE] = text
            return {BREAKDOWN: WITHOUT_CODE}
        code = match[1]
        if code not in self.titles:
            raise ValueError(f"„{code}“ ist kein Code der KldB 2010 (Fassung 2020).")
        self.occupations[code] = self.titles[code]
        return {BREAKDOWN: code}

    def breakdown(self) -> tuple[str, list[tuple[str, str]]] | None:
        """``(name, [(code, title), …])`` for ``Dataset.breakdowns``, or None if no occupation was met."""
        if not self.occupations:
            return None
        return BREAKDOWN_NAME, sorted(self.occupations.items())
