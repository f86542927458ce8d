"""The import framework every app plugs into: one command, a registry of formats, one report shape.

``bildungskette import PATH [--format auto|NAME]`` asks each registered importer whether it can
read the file (``detect``) and runs the first that can, inside one transaction.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RowProblem:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Zeile {self.line}")
        if self.column:
            where.append(f"Spalte {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRejected(Exception):
    """The file cannot be imported; nothing was stored. Carries German messages with line/column."""

    def __init__(self, problems: list[RowProblem] | str):
        if isinstance(problems, str):
            problems = [RowProblem(None, None, problems)]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]))


@dataclass
class ImportReport:
    importer: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.source}: {self.created} neu, {self.updated} aktualisiert, {self.unchanged} unverändert, "
            f"{len(self.rejected)} abgelehnt"
        )
        return text

    def as_dict(self) -> dict:
        return {
            "importer": self.importer,
            "source": self.source,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [str(p) for p in self.rejected],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Importer:
    format: str
    label: str
    detect: Callable[[Path], bool]
    run: Callable[..., ImportReport]  # run(path, *, tenant=None, **options) -> ImportReport
    priority: int = 50
    # Tables whose planner statistics the import command refreshes afterwards (core.dbstats):
    # () → every table; None → the importer refreshes them itself (monitoring's dataset_store).
    tables: tuple[str, ...] | None = ()


_importers: dict[str, Importer] = {}


def importer_register(importer: Importer) -> None:
    _importers[importer.format] = importer


def importers() -> list[Importer]:
    return sorted(_importers.values(), key=lambda i: (i.priority, i.format))


def importer_for(path: Path, fmt: str = "auto") -> Importer:
    if fmt != "auto":
        if fmt.split(":", 1)[0] not in _importers:
            known = ", ".join(sorted(_importers))
            raise ImportRejected(f"Unbekanntes Format „{fmt}“. Bekannt sind: {known}.")
        return _importers[fmt.split(":", 1)[0]]
    for importer in importers():
        try:
            if importer.detect(path):
                return importer
        except (OSError, ValueError, UnicodeDecodeError, csv.Error, RecursionError):
            continue  # a detector that cannot read the file: not its format
    raise ImportRejected(
        f"Das Format der Datei „{path.name}“ wurde nicht erkannt. Bitte mit --format angeben "
        f"({', '.join(sorted(_importers))})."
    )
