"""Writes of the reports app (keyword-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from .models import FROZEN_KINDS, Area, Block, BlockKind, Chapter, Comment, Report, ReportVersion, Status, Template
from .selectors import block_payload, frozen_compute, payload_changes, report_snapshot

# Template -> chapters (area, title). The full report follows the nine areas of the Anwendungsleitfaden.
TEMPLATES = {
    Template.FULL: [(a.value, str(a.label)) for a in Area],
    Template.COMMITTEE: [
        (Area.FRAMEWORK, "Ausgangslage"),
        (Area.VOCATIONAL, "Übergang Schule–Beruf"),
        (Area.NETWORKS, "Empfehlungen an den Ausschuss"),
    ],
    Template.TRANSITION: [
        (Area.FRAMEWORK, "Rahmenbedingungen: Jugendliche in der Grundsicherung"),
        (Area.SCHOOLS, "Schulabschlüsse"),
        (Area.VOCATIONAL, "Übergänge und Ausbildungsmarkt"),
        (Area.NETWORKS, "Netzwerk und Beratung am Übergang"),
    ],
}

TRANSITIONS = {
    "submit": (Status.DRAFT, Status.REVIEW),
    "back": (Status.REVIEW, Status.DRAFT),
    "approve": (Status.REVIEW, Status.APPROVED),
    "reopen": (Status.PUBLISHED, Status.DRAFT),
}


class StaleEdit(ValidationError):
    """Someone else saved in between: the form was loaded with an older version."""


def _slug_unique(text: str) -> str:
    base = slugify(text)[:100] or "bericht"
    slug, n = base, 2
    while Report.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def report_create(*, tenant, title: str, region, template: str, slug: str = "") -> Report:
    report = Report.objects.create(
        tenant=tenant, title=title, region=region, template=template, slug=slug or _slug_unique(title)
    )
    for order, (area, chapter_title) in enumerate(TEMPLATES[Template(template)]):
        Chapter.objects.create(report=report, area=area, title=chapter_title, order=order)
    return report


def _require_editable(report: Report) -> None:
    if report.status != Status.DRAFT:
        raise ValidationError("Nur ein Entwurf kann bearbeitet werden; zuerst eine neue Fassung beginnen.")


def _bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(lock_version=F("lock_version") + 1, updated_at=timezone.now())
    report.refresh_from_db(fields=["lock_version", "updated_at"])


@transaction.atomic
def block_add(*, chapter: Chapter, kind: str, title: str = "", text: str = "", indicator_code: str = "",
              section: str = "", alt_text: str = "") -> Block:
    _require_editable(chapter.report)
    order = (chapter.blocks.aggregate(m=Max("order"))["m"] or 0) + 1
    block = Block.objects.create(
        chapter=chapter, kind=kind, title=title, text=text, indicator_code=indicator_code, section=section,
        alt_text=alt_text, order=order, data_state=timezone.now() if kind != BlockKind.TEXT else None,
    )
    if kind in FROZEN_KINDS:
        block.frozen = frozen_compute(block, chapter.report, when=block.data_state)
        block.save(update_fields=["frozen"])
    _bump(chapter.report)
    return block


@transaction.atomic
def block_update(*, block: Block, lock_version: int, **fields) -> Block:
    """Save a block only if nobody saved it since the form was loaded (``lock_version``)."""
    _require_editable(block.chapter.report)
    updated = Block.objects.filter(pk=block.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1, **fields
    )
    if not updated:
        raise StaleEdit("Der Block wurde inzwischen von jemand anderem geändert. Bitte neu laden.")
    block.refresh_from_db()
    if block.kind in FROZEN_KINDS:
        if block.data_state is None:
            block.data_state = timezone.now()
        block.frozen = frozen_compute(block, block.chapter.report, when=block.data_state)
        block.save(update_fields=["frozen", "data_state"])
    _bump(block.chapter.report)
    return block


@transaction.atomic
def block_move(*, block: Block, direction: str) -> None:
    """Move a block one place up or down within its chapter (at the edge: nothing changes)."""
    _require_editable(block.chapter.report)
    if direction not in ("up", "down"):
        raise ValidationError(f"Unbekannte Richtung: {direction}")
    blocks = list(Block.objects.select_for_update().filter(chapter_id=block.chapter_id).order_by("order", "id"))
    pos = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = pos - 1 if direction == "up" else pos + 1
    if not 0 <= other < len(blocks):
        return
    blocks[pos], blocks[other] = blocks[other], blocks[pos]
    for order, b in enumerate(blocks, start=1):
        if b.order != order:
            Block.objects.filter(pk=b.pk).update(order=order)
    _bump(block.chapter.report)


@transaction.atomic
def block_delete(*, block: Block) -> None:
    _require_editable(block.chapter.report)
    report = block.chapter.report
    block.delete()
    _bump(report)


@transaction.atomic
def report_update(*, report: Report, lock_version: int, **fields) -> Report:
    _require_editable(report)
    updated = Report.objects.filter(pk=report.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise StaleEdit("Der Bericht wurde inzwischen von jemand anderem geändert. Bitte neu laden.")
    report.refresh_from_db()
    return report


@transaction.atomic
def report_refresh(*, report: Report, now=None) -> list[dict]:
    """Move every live block of a draft to the newest data state; return and store what changed."""
    _require_editable(report)
    now = now or timezone.now()
    changes = []
    for block in Block.objects.filter(chapter__report=report).exclude(kind=BlockKind.TEXT):
        old = block_payload(block, report)
        new = block_payload(block, report, as_of=now)
        changes += payload_changes(old, new)
        frozen = frozen_compute(block, report, when=now) if block.kind in FROZEN_KINDS else {}
        Block.objects.filter(pk=block.pk).update(data_state=now, frozen=frozen, lock_version=F("lock_version") + 1)
    report.last_refresh = {"at": now.isoformat(), "changes": changes}
    report.save(update_fields=["last_refresh", "updated_at"])
    _bump(report)
    return changes


@transaction.atomic
def report_transition(*, report: Report, action: str, user=None) -> Report:
    if action == "publish":
        report_publish(report=report, user=user)
        return report
    if action not in TRANSITIONS:
        raise ValidationError(f"Unbekannter Schritt: {action}")
    source, target = TRANSITIONS[action]
    if report.status != source:
        raise ValidationError(f"Dieser Schritt ist im Status „{report.get_status_display()}“ nicht möglich.")
    if action == "approve" and user is not None:
        from bildungskette.core.rules import is_coordination

        if not is_coordination(user, report.tenant):
            raise PermissionDenied("Freigeben darf nur die Koordinierung.")
    report.status = target
    report.save(update_fields=["status", "updated_at"])
    _bump(report)
    return report


@transaction.atomic
def report_publish(*, report: Report, user=None) -> ReportVersion:
    """Freeze every figure at its pinned data state into an immutable version."""
    if report.status != Status.APPROVED:
        raise ValidationError("Veröffentlicht wird nur ein freigegebener Bericht.")
    number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, published_by=user,
                                           snapshot=report_snapshot(report))
    report.status = Status.PUBLISHED
    report.save(update_fields=["status", "updated_at"])
    _bump(report)
    return version


def comment_add(*, block: Block, author, text: str) -> Comment:
    if not text.strip():
        raise ValidationError("Der Kommentar ist leer.")
    return Comment.objects.create(block=block, author=author, text=text.strip())
