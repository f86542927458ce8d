"""Parallel structures: the overlap finder.

A pair of measures is flagged when all four hold, and the flag says why:
1. they share at least one target group,
2. their areas overlap (one contains the other: Stadtteil in Stadt, Stadt in OloV-Region …;
   a measure without areas counts as serving the whole tenant area),
3. their periods overlap (open ends count as ongoing),
4. their descriptions are similar: cosine similarity of TF-IDF weighted character trigrams over
   title and description, after German normalisation (umlauts folded, ß → ss, stop words
   dropped). Trigrams catch German compounds: "Berufsorientierung" and "Berufsorientierungstage"
   share most of their trigrams although they are different words.

The text part is written with the standard library only, so it runs in a closed network.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 0.30

STOP_WORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bereits bis
bzw da damit dann das dass dem den denen der deren des dessen die dies diese diesem diesen dieser dieses
doch dort durch ein eine einem einen einer eines einmal er es etwa etwas fuer gegen ggf hat hier ihr ihre
ihren im in ins ist jede jedem jeden jeder jedes kann kein keine mehr mit nach neben nicht noch nur ob oder
ohne sich sie sind so sowie ueber um und uns unter usw vom von vor was weitere weiteren wenn werden wie
wird wo zu zum zur zwischen sollen soll sollen koennen dabei dazu insbesondere schon sehr viele vielen innen sbo
""".split())

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})
_WORD = re.compile(r"[a-z0-9]+")


def words_normalise(text: str) -> list[str]:
    """Lower-case German words with umlauts folded, without stop words and very short words."""
    folded = (text or "").lower().translate(_FOLD)
    return [w for w in _WORD.findall(folded) if len(w) > 2 and w not in STOP_WORDS]


def trigrams(words: Iterable[str]) -> Counter:
    grams: Counter = Counter()
    for word in words:
        padded = f" {word} "
        for i in range(len(padded) - 2):
            grams[padded[i:i + 3]] += 1
    return grams


@dataclass
class TextProfile:
    words: list[str]
    grams: Counter
    vector: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0


def profiles_build(texts: Sequence[str]) -> list[TextProfile]:
    """TF-IDF vectors over character trigrams for a set of texts (IDF from this set)."""
    profiles = []
    for text in texts:
        words = words_normalise(text)
        profiles.append(TextProfile(words=words, grams=trigrams(words)))
    n = max(len(profiles), 1)
    df: Counter = Counter()
    for p in profiles:
        df.update(p.grams.keys())
    for p in profiles:
        p.vector = {g: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, c in p.grams.items()}
        p.norm = math.sqrt(sum(v * v for v in p.vector.values()))
    return profiles


def cosine(a: TextProfile, b: TextProfile) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a, b) if len(a.vector) < len(b.vector) else (b, a)
    dot = sum(v * large.vector.get(g, 0.0) for g, v in small.vector.items())
    return dot / (a.norm * b.norm)


_SUFFIXES = ("ungen", "innen", "en", "er", "es", "e", "n", "s")


def word_stem(word: str) -> str:
    """A light German stem: inflection endings off (Betrieben/Betriebe/Betrieb → betrieb)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)]
    return word


def shared_terms(a: Sequence[str], b: Sequence[str], limit: int = 8) -> list[str]:
    """Words both texts use – inflected forms and compound parts (a shared stem of at least 6 letters) count."""
    stems_a: dict[str, str] = {}
    for w in a:
        stems_a.setdefault(word_stem(w), w)
    stems_b: dict[str, str] = {}
    for w in b:
        stems_b.setdefault(word_stem(w), w)
    found = {min(stems_a[s], stems_b[s], key=len) for s in set(stems_a) & set(stems_b)}
    matched_a = {s for s in stems_a if s in stems_b}
    matched_b = set(matched_a)
    for sa, wa in stems_a.items():
        if sa in matched_a:
            continue
        for sb, wb in stems_b.items():
            if sb in matched_b:
                continue
            if len(sa) >= 6 and len(sb) >= 6 and (sa in sb or sb in sa):
                found.add(min(wa, wb, key=len))
                matched_b.add(sb)
                break
    # Longer words first: they explain more than "schule".
    return sorted(found, key=lambda w: (-len(w), w))[:limit]


def periods_overlap(a_start, a_end, b_start, b_end) -> tuple[bool, datetime.date | None, datetime.date | None]:
    """Whether [a_start, a_end] and [b_start, b_end] intersect; None means open."""
    start = max((d for d in (a_start, b_start) if d is not None), default=None)
    end = min((d for d in (a_end, b_end) if d is not None), default=None)
    if start is not None and end is not None and start > end:
        return False, None, None
    return True, start, end


@dataclass
class MeasureFacts:
    """What the finder needs to know about one measure (plain data, so it can be tested without a DB)."""

    id: int
    title: str
    text: str
    target_groups: dict[int, str]
    # Each area: (id, label, ids of the area and all areas containing it)
    areas: list[tuple[int, str, frozenset[int]]]
    start: datetime.date | None = None
    end: datetime.date | None = None
    organisations: dict[int, str] = field(default_factory=dict)
    goals: dict[int, str] = field(default_factory=dict)
    programme: str = ""
    funder_level: str = ""


@dataclass
class OverlapFlag:
    a: MeasureFacts
    b: MeasureFacts
    score: float
    target_groups: list[str]
    areas: list[str]
    period: tuple[datetime.date | None, datetime.date | None]
    terms: list[str]
    organisations: list[str]
    goals: list[str]

    @property
    def key(self) -> tuple[int, int]:
        return (min(self.a.id, self.b.id), max(self.a.id, self.b.id))

    def reasons(self) -> list[str]:
        start, end = self.period
        when = (f"ab {start:%m/%Y}" if start else "seit unbekanntem Beginn") + (
            f" bis {end:%m/%Y}" if end else ", ohne Ende")
        lines = [
            "Gleiche Zielgruppe: " + ", ".join(self.target_groups) + ".",
            "Überschneidendes Gebiet: " + "; ".join(self.areas) + ".",
            f"Gleichzeitig aktiv {when}.",
            f"Ähnliche Beschreibung (Ähnlichkeit {self.score * 100:.0f} %), gemeinsame Begriffe: "
            + (", ".join(self.terms) if self.terms else "–") + ".",
        ]
        if self.organisations:
            lines.append("Dieselben Akteure beteiligt: " + ", ".join(self.organisations) + ".")
        if self.goals:
            lines.append("Dienen denselben Zielen: " + ", ".join(self.goals) + ".")
        return lines


def _areas_overlap(a: MeasureFacts, b: MeasureFacts) -> list[str]:
    if not a.areas and not b.areas:
        return ["beide ohne Gebietsangabe (gesamtes Gebiet des Mandanten)"]
    if not a.areas:
        return [f"{label} (die andere Maßnahme gilt für das gesamte Gebiet)" for _, label, _ in b.areas]
    if not b.areas:
        return [f"{label} (die andere Maßnahme gilt für das gesamte Gebiet)" for _, label, _ in a.areas]
    found = []
    for a_id, a_label, a_path in a.areas:
        for b_id, b_label, b_path in b.areas:
            if a_id == b_id:
                found.append(a_label)
            elif a_id in b_path:
                found.append(f"{b_label} liegt in {a_label}")
            elif b_id in a_path:
                found.append(f"{a_label} liegt in {b_label}")
    return list(dict.fromkeys(found))


def overlaps_find(measures: Sequence[MeasureFacts], *, threshold: float = DEFAULT_THRESHOLD) -> list[OverlapFlag]:
    """All flagged pairs, most similar first. Only pairs that share a target group are compared."""
    profiles = profiles_build([f"{m.title} {m.title} {m.text}" for m in measures])
    by_group: dict[int, list[int]] = defaultdict(list)
    for index, m in enumerate(measures):
        for group_id in m.target_groups:
            by_group[group_id].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in by_group.values():
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                candidates.add((x, y) if x < y else (y, x))
    flags = []
    for i, j in candidates:
        a, b = measures[i], measures[j]
        overlap, start, end = periods_overlap(a.start, a.end, b.start, b.end)
        if not overlap:
            continue
        areas = _areas_overlap(a, b)
        if not areas:
            continue
        score = cosine(profiles[i], profiles[j])
        if score < threshold:
            continue
        flags.append(OverlapFlag(
            a=a, b=b, score=score,
            target_groups=sorted(a.target_groups[g] for g in set(a.target_groups) & set(b.target_groups)),
            areas=areas, period=(start, end),
            terms=shared_terms(profiles[i].words, profiles[j].words),
            organisations=sorted(a.organisations[o] for o in set(a.organisations) & set(b.organisations)),
            goals=sorted(a.goals[g] for g in set(a.goals) & set(b.goals)),
        ))
    flags.sort(key=lambda f: (-f.score, f.key))
    return flags
