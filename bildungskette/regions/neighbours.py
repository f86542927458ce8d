"""Neighbouring Kreise: those that share a boundary, computed from the Kreis boundaries we ship
(geo/kreise_vg250_2018.geojson, BKG VG250, simplified).

The adjacency is computed once and shipped as ``geo/kreise_nachbarn_2018.json``; regenerate it after
changing the boundaries with ``bildungskette kreis-neighbours`` (a test checks that the shipped file
equals a fresh computation). Region selects use it to offer the tenant's area and its neighbours.

Rule: the boundaries are simplified, so two Kreise that share a boundary in reality may overlap a
little or leave a sliver between them (often along the Rhine). Two Kreise count as neighbours when
at least ``MIN_SHARED_DEGREES`` of one's boundary runs within ``TOLERANCE_DEGREES`` of the other
(about 100 m and 500 m); a mere corner contact does not count.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from shapely import STRtree
from shapely.geometry import shape
from shapely.ops import unary_union

from bildungskette.core.datafiles import data_path, data_text

BOUNDARIES = Path("geo/kreise_vg250_2018.geojson")
NEIGHBOURS = Path("geo/kreise_nachbarn_2018.json")
TOLERANCE_DEGREES = 0.001
MIN_SHARED_DEGREES = 0.005


def kreis_neighbours_compute(boundaries: Path) -> dict[str, list[str]]:
    """{Kreis AGS: sorted AGS of its neighbours} from a VG250 Kreis GeoJSON (land parts, GF=4)."""
    parts: dict[str, list] = {}
    for feature in json.loads(data_text(boundaries))["features"]:
        properties = feature["properties"]
        if properties.get("GF") == 4:
            parts.setdefault(properties["AGS"], []).append(shape(feature["geometry"]))
    codes = sorted(parts)
    geometries = [unary_union(parts[code]) for code in codes]
    tree = STRtree(geometries)
    neighbours: dict[str, set[str]] = {code: set() for code in codes}
    for index, code in enumerate(codes):
        near = geometries[index].buffer(TOLERANCE_DEGREES)
        for other in tree.query(near, predicate="intersects"):
            if other == index:
                continue
            if near.intersection(geometries[other].boundary).length >= MIN_SHARED_DEGREES:
                # Symmetric by construction: a border measured from either side counts for both.
                neighbours[code].add(codes[other])
                neighbours[codes[other]].add(code)
    return {code: sorted(found) for code, found in neighbours.items()}


def kreis_neighbours_write(target: Path, boundaries: Path) -> dict[str, list[str]]:
    neighbours = kreis_neighbours_compute(boundaries)
    document = {
        "source": "berechnet aus geo/kreise_vg250_2018.geojson (© GeoBasis-DE / BKG 2019, dl-de/by-2-0)",
        "rule": f"gemeinsame Grenze: mindestens {MIN_SHARED_DEGREES}° Grenzlinie innerhalb {TOLERANCE_DEGREES}°",
        "command": "bildungskette kreis-neighbours",
        "neighbours": neighbours,
    }
    # One Kreis per line: a change of the boundaries shows as a readable diff.
    lines = [f'  "{code}": {json.dumps(found)}' for code, found in neighbours.items()]
    header = json.dumps({key: value for key, value in document.items() if key != "neighbours"},
                        ensure_ascii=False)[:-1]
    target.write_text(header + ',\n "neighbours": {\n' + ",\n".join(lines) + "\n }\n}\n", encoding="utf-8")
    return neighbours


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, tuple[str, ...]]:
    data = json.loads(data_text(data_path(NEIGHBOURS)))["neighbours"]
    return {code: tuple(found) for code, found in data.items()}


def kreis_neighbour_codes(codes) -> set[str]:
    """The Kreise sharing a boundary with any of ``codes`` (Kreis AGS), without ``codes`` themselves."""
    shipped = _shipped()
    found = {neighbour for code in codes for neighbour in shipped.get(code, ())}
    return found - set(codes)
