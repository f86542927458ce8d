"""Agenda (Einladung mit Tagesordnung) and minutes (Protokoll) as PDF, via Typst (core.pdf)."""

from __future__ import annotations

from django.utils import timezone

from bildungskette.core.pdf import pdf_render, typst_escape

from .models import Meeting
from .selectors import agenda_tree


def _e(value) -> str:
    return typst_escape(value or "")


def _header(meeting: Meeting, kind: str) -> list[str]:
    local = timezone.localtime(meeting.starts_at)
    lines = [
        f"#set document(title: [{_e(kind)} – {_e(meeting.title)}])",
        f'#text(size: 9pt, fill: rgb("#4d5663"))[{_e(meeting.body.name)} · {_e(meeting.tenant.name)}]',
        f"= {_e(kind)}: {_e(meeting.title)}",
        "",
        f"*Termin:* {local:%d.%m.%Y}, {local:%H:%M} Uhr"
        + (f" bis {timezone.localtime(meeting.ends_at):%H:%M} Uhr" if meeting.ends_at else "")
        + " \\",
    ]
    if meeting.location:
        lines.append(f"*Ort:* {_e(meeting.location)} \\")
    if meeting.video_url:
        lines.append(f"*Videokonferenz:* {_e(meeting.video_url)} \\")
    if meeting.is_synthetic:
        lines.append("*Hinweis:* Beispieldaten (synthetisch) zur Vorführung. \\")
    lines.append("")
    return lines


def agenda_pdf(meeting: Meeting, *, public_only: bool = False) -> bytes:
    """The invitation with the agenda; ``public_only`` leaves out non-public items (for the public)."""
    lines = _header(meeting, "Einladung")
    if meeting.invitation_text:
        lines += [_e(meeting.invitation_text), ""]
    lines += [
        "== Tagesordnung",
        "",
        '#table(columns: (auto, 1fr, auto, auto), stroke: 0.5pt + rgb("#c5ccd3"), inset: 5pt,',
        "  table.header[*TOP*][*Thema*][*Vortrag*][*Dauer*],",
    ]
    for number, item, _kids in agenda_tree(meeting, flat=True, public_only=public_only):
        duration = f"{item.duration_minutes} Min." if item.duration_minutes else ""
        title = _e(item.title) + ("" if item.is_public else " (nicht öffentlich)")
        lines.append(f"  [{number}], [{title}], [{_e(item.presenter)}], [{duration}],")
    lines.append(")")
    total = sum(i.duration_minutes or 0 for i in meeting.agenda_items.all() if i.is_public or not public_only)
    if total:
        lines += ["", f"Geplante Dauer insgesamt: {total} Minuten."]
    return pdf_render(source="\n".join(lines))


def minutes_pdf(meeting: Meeting) -> bytes:
    lines = _header(meeting, "Protokoll")
    attendances = list(meeting.attendances.select_related("organisation").order_by("organisation__name"))
    if attendances:
        present = [a.organisation.name for a in attendances if a.status == "present"]
        excused = [a.organisation.name for a in attendances if a.status == "excused"]
        lines.append("*Anwesend:* " + _e(", ".join(present) or "–") + " \\")
        if excused:
            lines.append("*Entschuldigt:* " + _e(", ".join(excused)) + " \\")
    if meeting.minutes_taker:
        lines.append(f"*Protokoll:* {_e(meeting.minutes_taker)} \\")
    lines.append(f"*Stand:* {_e(meeting.get_status_display())}")
    lines.append("")
    if meeting.minutes_summary:
        lines += [_e(meeting.minutes_summary), ""]
    decisions_by_item: dict = {}
    for decision in meeting.decisions.all():
        decisions_by_item.setdefault(decision.agenda_item_id, []).append(decision)
    actions_by_item: dict = {}
    for action in meeting.action_items.select_related("owner_organisation", "owner_person"):
        actions_by_item.setdefault(action.agenda_item_id, []).append(action)
    for number, item, _kids in agenda_tree(meeting, flat=True):
        level = "===" if "." in number else "=="
        lines += [f"{level} TOP {number}: {_e(item.title)}", ""]
        if item.minutes:
            lines += [_e(item.minutes), ""]
        for decision in decisions_by_item.get(item.pk, []):
            vote = ""
            if decision.has_vote:
                vote = (
                    f" (Abstimmung: {decision.votes_yes or 0} ja, {decision.votes_no or 0} nein, "
                    f"{decision.votes_abstain or 0} Enthaltungen)"
                )
            lines += [f"*Beschluss {_e(decision.reference)}:* {_e(decision.text)}{_e(vote)}", ""]
        for action in actions_by_item.get(item.pk, []):
            lines += [_action_line(action), ""]
    rest = actions_by_item.get(None, [])
    if rest or decisions_by_item.get(None):
        lines += ["== Weitere Beschlüsse und Aufgaben", ""]
        for decision in decisions_by_item.get(None, []):
            lines += [f"*Beschluss {_e(decision.reference)}:* {_e(decision.text)}", ""]
        for action in rest:
            lines += [_action_line(action), ""]
    return pdf_render(source="\n".join(lines))


def _action_line(action) -> str:
    owner = action.owner_organisation.name if action.owner_organisation else "offen"
    if action.owner_person:
        owner += f", {action.owner_person.name}"
    due = f", fällig {action.due_date:%d.%m.%Y}" if action.due_date else ""
    return f"- *Aufgabe:* {_e(action.title)} ({_e(owner)}{_e(due)}; {_e(action.get_status_display())})"
