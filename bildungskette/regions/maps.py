"""Server-side SVG maps of boundaries: no tiles, no JavaScript, the same picture on screen and in PDFs."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class MapShape:
    geometry: dict
    label: str
    css_class: str = "area"
    href: str = ""
    fill: str = ""


@dataclass
class MapPoint:
    lat: float
    lon: float
    label: str
    css_class: str = "point"


def geometry_within_wgs84(bounds) -> bool:
    """(west, south, east, north) are finite and inside longitude −180…180, latitude −90…90."""
    try:
        west, south, east, north = (float(v) for v in bounds)
    except (TypeError, ValueError):
        return False
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return False
    return -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def _position_valid(position) -> bool:
    if not isinstance(position, (list, tuple)) or len(position) < 2:
        return False
    lon, lat = position[0], position[1]
    if isinstance(lon, bool) or isinstance(lat, bool) or not isinstance(lon, (int, float)) \
            or not isinstance(lat, (int, float)):
        return False
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def _rings(geometry: dict):
    """The rings of a (Multi)Polygon as lists of (lon, lat); a stored boundary with broken or
    out-of-range coordinates draws nothing instead of breaking the page."""
    if not isinstance(geometry, dict):
        return
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon":
        polygons = coordinates
    else:
        return
    if not isinstance(polygons, list):
        return
    for polygon in polygons:
        if not isinstance(polygon, list):
            continue
        for ring in polygon:
            if isinstance(ring, list) and ring and all(_position_valid(p) for p in ring):
                yield [(float(p[0]), float(p[1])) for p in ring]


def svg_map_data(shapes: list[MapShape], points: list[MapPoint] | None = None, width: int = 640,
                 focus: list[MapShape] | None = None) -> dict:
    """Project lon/lat into an SVG viewBox (equirectangular, corrected for latitude).

    With ``focus``, the view is fitted to those shapes (plus a margin) and the other shapes are
    context that the viewBox clips.
    """
    points = points or []
    xs, ys = [], []
    for s in focus or shapes:
        for ring in _rings(s.geometry):
            for lon, lat in ring:
                xs.append(lon)
                ys.append(lat)
    points = [p for p in points if _position_valid((p.lon, p.lat))]
    for p in points:
        xs.append(p.lon)
        ys.append(p.lat)
    if not xs:
        return {"width": width, "height": 0, "paths": [], "points": []}
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    if focus:
        margin_x, margin_y = (east - west) * 0.12, (north - south) * 0.12
        west, east, south, north = west - margin_x, east + margin_x, south - margin_y, north + margin_y
    k = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * k, 1e-9)
    span_y = max(north - south, 1e-9)
    pad = 8
    scale = (width - 2 * pad) / span_x
    height = int(span_y * scale + 2 * pad)

    def project(lon, lat):
        return round(pad + (lon - west) * k * scale, 1), round(pad + (north - lat) * scale, 1)

    paths = []
    for s in shapes:
        d = []
        for ring in _rings(s.geometry):
            pts = [project(lon, lat) for lon, lat in ring]
            d.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
        paths.append({"d": "".join(d), "label": s.label, "css_class": s.css_class, "href": s.href, "fill": s.fill})
    projected = []
    for p in points:
        x, y = project(p.lon, p.lat)
        projected.append({"x": x, "y": y, "label": p.label, "css_class": p.css_class})
    return {"width": width, "height": height, "paths": paths, "points": projected}
