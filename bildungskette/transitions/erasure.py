"""The erasure ledger: erased pupils stay erased after a database restore.

Every Art. 17 erasure and every record the retention job removes leaves one line in a file
outside the database (setting ``ERASURE_LEDGER_PATH``): an HMAC of the record's identity
(primary key and creation time, so a pupil created later under a reused id is not hit) with a
random salt kept in the file's first line. The ledger holds no names, pseudonyms or values;
without the database it reveals nothing. After restoring a backup, ``bildungskette
erasure-reapply`` erases every restored record whose hash is in the ledger again.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_HEADER = "# Bildungskette Löschregister v1 salt="


def _path() -> Path:
    return Path(settings.ERASURE_LEDGER_PATH)


def _salt() -> bytes:
    path = _path()
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            first = fh.readline().strip()
        if first.startswith(_HEADER):
            return bytes.fromhex(first[len(_HEADER):])
        raise RuntimeError(f"Löschregister {path} hat keinen gültigen Kopf – bitte prüfen, nicht überschreiben.")
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_bytes(32)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(f"{_HEADER}{salt.hex()}\n")
    return salt


def _identity(label: str, pk, created_at) -> bytes:
    # Whole seconds in UTC: the same after pg_dump/pg_restore, a copied SQLite file and
    # dumpdata/loaddata (which keeps only milliseconds).
    stamp = ""
    if created_at is not None:
        if created_at.tzinfo is not None:
            created_at = created_at.astimezone(datetime.UTC)
        stamp = created_at.replace(microsecond=0, tzinfo=None).isoformat()
    return f"{label}|{pk}|{stamp}".encode()


def _digest(salt: bytes, identity: bytes) -> str:
    return hmac.new(salt, identity, hashlib.sha256).hexdigest()


def ledger_record(records: Iterable[tuple[str, object, object]]) -> int:
    """Append ``(model_label, pk, created_at)`` of erased records; fsynced before returning."""
    records = list(records)
    if not records:
        return 0
    salt = _salt()
    with _path().open("a", encoding="utf-8") as fh:
        for label, pk, created_at in records:
            fh.write(_digest(salt, _identity(label, pk, created_at)) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return len(records)


def ledger_hashes() -> set[str]:
    path = _path()
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as fh:
        return {line.strip() for line in fh if line.strip() and not line.startswith("#")}


def ledger_matches(label: str, rows: Iterable[tuple[object, object]]) -> list:
    """Primary keys among ``(pk, created_at)`` rows whose identity is in the ledger."""
    hashes = ledger_hashes()
    if not hashes:
        return []
    salt = _salt()
    return [pk for pk, created_at in rows if _digest(salt, _identity(label, pk, created_at)) in hashes]


def erasure_reapply() -> int:
    """Erase every restored pupil the ledger says was erased. Returns how many."""
    from bildungskette.core.audit import audit_actor

    from .models import Student
    from .services import student_erase

    matches = ledger_matches("transitions.Student",
                             Student.objects.values_list("pk", "created_at").iterator(chunk_size=5000))
    with audit_actor(None, "Löschregister nach Wiederherstellung"):
        for student in Student.objects.filter(pk__in=matches).select_related("school", "tenant"):
            student_erase(student=student, ledger=False)
    logger.info("erasure ledger re-applied: %s records", len(matches))
    return len(matches)
