"""GeoJSON as RFC 7946 asks for it, for every geometry the product serves.

- Polygons follow the right-hand rule: exterior rings counter-clockwise, holes clockwise
  (``shapely.geometry.polygon.orient``); third-party clients such as d3 or Mapbox rely on it.
- Coordinates have at most 6 decimal places (about 10 cm; RFC 7946 §11.2).
- No ``crs`` member: RFC 7946 coordinates are always WGS 84 longitude, latitude.
"""

from __future__ import annotations

from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

DECIMALS = 6


def position(lon: float, lat: float, decimals: int = DECIMALS) -> list[float]:
    return [round(float(lon), decimals), round(float(lat), decimals)]


def rfc7946_geometry(geometry, *, decimals: int = DECIMALS) -> dict:
    """A GeoJSON geometry (dict or shapely object) with right-hand winding and rounded coordinates."""
    geom = shape(geometry) if isinstance(geometry, dict) else geometry
    if isinstance(geom, Polygon):
        geom = orient(geom, sign=1.0)
    elif isinstance(geom, MultiPolygon):
        geom = MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _round(data["coordinates"], decimals)}


def _round(value, decimals: int):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(float(v), decimals) for v in value]
        return [_round(v, decimals) for v in value]
    return value
