"""Boundaries: turn an ONS ICB boundary file into the small GeoJSON the maps draw.

``make boundaries SRC=...`` runs this. The result, keyed by ONS code, goes to
data/geo/<name>.geojson: the ICB areas of 2022 and of 2026, and the STP areas of 2020 that
the history maps draw; each name carries its year. Without boundary files the maps fall
back to points.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from generator.errors import DataError, DataErrors
from generator.files import read_text

GEO_DIR = "geo"
GEO_FILE = f"{GEO_DIR}/icb_2022_boundaries.geojson"
MAX_BYTES = 350 * 1024
AREA_CODE = re.compile(r"E54[0-9]{6}")  # ONS codes of ICBs and STPs, whatever the vintage


def make_boundaries(
    src: str,
    data_dir: Path,
    *,
    name: str = "icb_boundaries",
    tolerance: float = 0.0,
    digits: int = 5,
) -> Path:
    """Write data/geo/<name>.geojson from ``src``; return its path.

    ``tolerance`` (degrees) simplifies the areas as one coverage, so that shared borders
    stay shared; 0 keeps the input's detail.
    """
    features = _read_features(str(src))
    if tolerance:
        features = _simplify(features, tolerance)
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(_rounded(collection, digits), separators=(",", ":"), sort_keys=True)
    target = Path(data_dir) / GEO_DIR / f"{name}.geojson"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def _read_features(src: str) -> list[dict]:
    try:
        if src.startswith(("https://", "http://")):
            with urllib.request.urlopen(src, timeout=60) as response:  # noqa: S310 (http/https only)
                data = json.loads(response.read().decode("utf-8"))
        else:
            data = json.loads(Path(src).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataErrors(
            [
                DataError(
                    str(src),
                    0,
                    "-",
                    "geojson",
                    f"cannot read GeoJSON: {exc}",
                    "give the path of a GeoJSON FeatureCollection",
                )
            ]
        ) from exc
    features = []
    for number, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        code = next((v for v in props.values() if AREA_CODE.fullmatch(str(v))), None)
        if not code:
            raise DataErrors(
                [
                    DataError(
                        str(src),
                        number,
                        "properties",
                        "geojson",
                        "feature has no ONS area code",
                        "expected a property such as ICB22CD holding an E54 code",
                    )
                ]
            )
        name = next((v for k, v in props.items() if k.lower().endswith(("nm", "name"))), "")
        features.append(
            {
                "type": "Feature",
                "properties": {"ons_code": code, "name": name},
                "geometry": feature["geometry"],
            }
        )
    return sorted(features, key=lambda f: f["properties"]["ons_code"])


def _simplify(features: list[dict], tolerance: float) -> list[dict]:
    import shapely

    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    simplified = shapely.coverage_simplify(shapes, tolerance)
    return [
        {**f, "geometry": shapely.geometry.mapping(g)}
        for f, g in zip(features, simplified, strict=True)
    ]


def for_the_web(geometries: dict[str, dict], tolerance: float, digits: int) -> dict[str, dict]:
    """Geometries lighter for a browser: simplified as one coverage (shared borders stay
    shared) when ``tolerance`` is set, and rounded to ``digits`` decimal places."""
    codes = sorted(geometries)
    features = [{"geometry": geometries[code]} for code in codes]
    if tolerance:
        features = _simplify(features, tolerance)
    return {code: _rounded(f["geometry"], digits) for code, f in zip(codes, features, strict=True)}


def _rounded(value, digits: int):
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list | tuple):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    return value


class Boundaries(dict):
    """Geometries by ONS code; ``vintage[code]`` names the file (its stem) each came from."""

    def __init__(self):
        super().__init__()
        self.vintage: dict[str, str] = {}


def load_boundaries(data_dir: Path, errors: list[DataError]) -> Boundaries:
    """Geometries by ONS code from every file in data/geo/, or none when there are none.

    Newer files come first, by the year in their names; older files only add codes the
    newer ones lack, so each area is drawn from its most recent boundaries.
    """
    folder = Path(data_dir) / GEO_DIR
    files = sorted(folder.glob("*.geojson"), key=lambda p: (-_year(p.name), p.name))
    found = Boundaries()
    for path in files:
        text = read_text(path, path.as_posix(), Path(data_dir), errors)
        data = json.loads(text) if text is not None else {"features": []}
        for feature in data["features"]:
            code = feature["properties"]["ons_code"]
            if code not in found:
                found[code] = feature["geometry"]
                found.vintage[code] = path.stem
    return found


def _year(name: str) -> int:
    found = re.search(r"(19|20)[0-9]{2}", name)
    return int(found.group()) if found else 0


def neighbours(geometries: dict[str, dict]) -> dict[str, set[str]]:
    """Areas that share a border point. The file is one coverage, so shared borders have
    identical vertices and a vertex index finds neighbours in linear time."""
    owners: dict[tuple[float, float], set[str]] = {}
    for code, geometry in geometries.items():
        for point in _points(geometry):
            owners.setdefault(point, set()).add(code)
    found: dict[str, set[str]] = {code: set() for code in geometries}
    for codes in owners.values():
        for code in codes:
            found[code] |= codes - {code}
    return found


def _points(geometry: dict):
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        for ring in polygon:
            yield from map(tuple, ring)


def bounds(geometry: dict) -> list[list[float]]:
    xs, ys = zip(*_points(geometry), strict=True)
    return [[min(ys), min(xs)], [max(ys), max(xs)]]
