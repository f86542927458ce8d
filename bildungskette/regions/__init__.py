"""Regions: the official AGS/ARS tree (Bund → Gemeinde → Stadtteil), boundaries, custom groupings."""
