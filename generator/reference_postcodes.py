"""Reduce OS Code-Point Open to postcode sectors and districts per board.

    python -m generator.reference_postcodes --src DIR [--geo data/geo] [--out data/reference]

DIR holds codepo_gb.zip, OS Code-Point Open as published (Data/CSV/*.csv, Doc/metadata.txt).
Each live English postcode (country code E92000001) with a grid reference is converted from
the National Grid to WGS84 (generator.osgb) and placed in the board whose polygon contains it,
in each ICB boundary file of data/geo/. A point in no polygon (on the coast, just outside the
simplified boundary, or on a shared border) goes to the nearest polygon within 2 km; the
counts of those are printed. Postcodes without a district code count in their sector but not
in lad_boards.csv. District names come from lad_icb.csv in --out, which
generator.reference_data writes first from the ONS lookups.

Output: postcode_sectors.csv (postcodes per sector and board) and lad_boards.csv (postcodes
per local authority district and board, with shares).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from generator.osgb import grid_to_wgs84

ENGLAND = "E92000001"
NO_POINT = "90"  # positional quality: no grid reference
NEAREST_M = 2000.0
ZIP_NAME = "codepo_gb.zip"
# Code-Point Open dataset version -> id in sources.csv
SOURCE_IDS = {"2025.2.0": "os-code-point-open-2025-04"}
NAMES_SOURCE_ID = "ons-lsoa21-ward24-lad24"
# vintage -> boundary file in data/geo/
BOUNDARIES = {
    "2022-07": "icb_2022_boundaries.geojson",
    "2026-04": "icb_2026_boundaries.geojson",
}
SECTOR_HEADER = ["sector", "outward", "vintage", "ons_code", "postcodes", "source_id"]
LAD_HEADER = ["lad_code", "lad_name", "vintage", "ons_code", "postcodes", "share", "source_id"]


class SourceError(Exception):
    pass


@dataclass(frozen=True)
class Postcodes:
    sector: list[str]
    lad: list[str]
    lon: np.ndarray
    lat: np.ndarray
    no_point: list[str]  # English postcodes without a grid reference


@dataclass(frozen=True)
class Placement:
    board: np.ndarray  # index into the vintage's codes, -1 where none within NEAREST_M
    inside: int
    nearest: int
    unplaced: int


def codepoint_version(archive: zipfile.ZipFile) -> str:
    text = archive.read("Doc/metadata.txt").decode("latin-1")
    for line in text.splitlines():
        if line.startswith("DATASET VERSION NUMBER:"):
            return line.split(":", 1)[1].strip()
    raise SourceError(f"{ZIP_NAME}: no DATASET VERSION NUMBER in Doc/metadata.txt")


def sector_of(postcode: str) -> str:
    outward, inward = postcode[:-3].strip(), postcode[-3:]
    return f"{outward} {inward[0]}"


def read_codepoint(archive: zipfile.ZipFile) -> Postcodes:
    sectors, lads, east, north, no_point = [], [], [], [], []
    names = sorted(n for n in archive.namelist() if n.startswith("Data/CSV/"))
    for name in (n for n in names if n.endswith(".csv")):
        with archive.open(name) as raw:
            for row in csv.reader(io.TextIOWrapper(raw, encoding="utf-8")):
                postcode, quality, easting, northing, country = row[:5]
                if country != ENGLAND:
                    continue
                if quality == NO_POINT:
                    no_point.append(postcode)
                    continue
                sectors.append(sector_of(postcode))
                lads.append(row[8])
                east.append(float(easting))
                north.append(float(northing))
    if not sectors:
        raise SourceError(f"{ZIP_NAME}: no English postcodes in Data/CSV/")
    lon, lat = grid_to_wgs84(east, north)
    return Postcodes(sectors, lads, lon, lat, no_point)


def read_boards(path: Path) -> tuple[list[str], list[shapely.Geometry]]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    features = sorted(features, key=lambda f: f["properties"]["ons_code"])
    codes = [f["properties"]["ons_code"] for f in features]
    # make_valid: two areas of the April 2026 file have tiny self-intersections on the coast
    shapes = [shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features]
    if len(set(codes)) != len(codes):
        raise SourceError(f"{path.name}: an ONS code appears twice")
    return codes, shapes


def _local_metres(shape: shapely.Geometry, lon: float, lat: float) -> shapely.Geometry:
    """The shape in metres east and north of (lon, lat), on the WGS84 ellipsoid."""
    a, e2 = 6378137.0, 0.00669437999014
    phi = np.radians(lat)
    w = 1 - e2 * np.sin(phi) ** 2
    per_lat = np.radians(1) * a * (1 - e2) / w**1.5
    per_lon = np.radians(1) * a * np.cos(phi) / np.sqrt(w)
    return shapely.transform(shape, lambda c: (c - [lon, lat]) * [per_lon, per_lat])


def nearest_board(shapes, tree, lon: float, lat: float) -> int:
    """Index of the nearest shape within NEAREST_M of the point, or -1; ties go to the first."""
    best, best_d = -1, NEAREST_M
    box = (lon - 0.05, lat - 0.03, lon + 0.05, lat + 0.03)
    for i in sorted(tree.query(shapely.box(*box))):
        near = shapely.clip_by_rect(shapes[i], *box)
        d = shapely.distance(_local_metres(near, lon, lat), shapely.Point(0, 0))
        if d <= best_d and (best < 0 or d < best_d):
            best, best_d = int(i), d
    return best


def place(shapes: list[shapely.Geometry], lon: np.ndarray, lat: np.ndarray) -> Placement:
    board = np.full(lon.shape, -1)
    hits = np.zeros(lon.shape, dtype=int)
    for i, shape in enumerate(shapes):
        shapely.prepare(shape)
        xmin, ymin, xmax, ymax = shape.bounds
        near = np.flatnonzero((lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax))
        inside = near[shapely.contains_xy(shape, lon[near], lat[near])]
        board[inside[board[inside] < 0]] = i
        hits[inside] += 1
    if (hits > 1).any():
        raise SourceError(f"{int((hits > 1).sum())} postcodes fall in two boards' polygons")
    outside = np.flatnonzero(board < 0)
    tree = shapely.STRtree(shapes)
    for k in outside:
        board[k] = nearest_board(shapes, tree, float(lon[k]), float(lat[k]))
    unplaced = int((board < 0).sum())
    return Placement(board, len(lon) - len(outside), len(outside) - unplaced, unplaced)


def sector_rows(pcs: Postcodes, vintage: str, codes, board, source_id: str) -> list[list]:
    counts = Counter(zip(pcs.sector, board.tolist(), strict=True))
    return [
        [sector, sector.split(" ")[0], vintage, codes[b], n, source_id]
        for (sector, b), n in counts.items()
        if b >= 0
    ]


def shares(counts: list[int], places: int = 6) -> list[str]:
    """Shares of the total, rounded by largest remainder so that they add to exactly 1."""
    unit, total = 10**places, sum(counts)
    exact = [c * unit / total for c in counts]
    parts = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: unit - sum(parts)]:
        parts[i] += 1
    return [f"{p // unit}.{p % unit:0{places}d}" for p in parts]


def lad_rows(pcs: Postcodes, vintage: str, codes, board, source_id: str, names) -> list[list]:
    counts = Counter(zip(pcs.lad, board.tolist(), strict=True))
    by_lad: dict[str, list[tuple[str, int]]] = {}
    for (lad, b), n in sorted(counts.items()):
        if b >= 0 and lad:
            by_lad.setdefault(lad, []).append((codes[b], n))
    out = []
    for lad, parts in by_lad.items():
        if lad not in names:
            raise SourceError(f"no name for local authority district {lad}")
        for (code, n), share in zip(parts, shares([n for _, n in parts]), strict=True):
            out.append([lad, names[lad], vintage, code, n, share, source_id])
    return out


def lad_names(lad_icb: Path) -> dict[str, str]:
    """LAD names from the newest vintage in lad_icb.csv that names each code."""
    with lad_icb.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["vintage"])
    return {r["lad_code"]: r["lad_name"] for r in rows}


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path}: {len(rows)} rows", file=sys.stderr)


def report(vintage: str, placed: Placement, pcs: Postcodes) -> None:
    print(
        f"{vintage}: {placed.inside} postcodes inside a polygon, {placed.nearest} placed in"
        f" the nearest within {NEAREST_M:.0f} m, {placed.unplaced} left out;"
        f" {len(pcs.no_point)} English postcodes have no grid reference and"
        f" {pcs.lad.count('')} with one have no district",
        file=sys.stderr,
    )


def build(src: Path, geo: Path, out: Path) -> None:
    with zipfile.ZipFile(src / ZIP_NAME) as archive:
        version = codepoint_version(archive)
        if version not in SOURCE_IDS:
            raise SourceError(f"{ZIP_NAME}: version {version} has no source id; add one")
        pcs = read_codepoint(archive)
    source_id = SOURCE_IDS[version]
    names = lad_names(out / "lad_icb.csv")
    sectors, lads = [], []
    for vintage, filename in BOUNDARIES.items():
        codes, shapes = read_boards(geo / filename)
        placed = place(shapes, pcs.lon, pcs.lat)
        report(vintage, placed, pcs)
        sectors += sector_rows(pcs, vintage, codes, placed.board, source_id)
        lads += lad_rows(pcs, vintage, codes, placed.board, f"{source_id};{NAMES_SOURCE_ID}", names)
    write_csv(out / "postcode_sectors.csv", SECTOR_HEADER, sorted(sectors, key=lambda r: r[:4]))
    write_csv(out / "lad_boards.csv", LAD_HEADER, sorted(lads, key=lambda r: (r[0], r[2], r[3])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True, type=Path, help="folder with codepo_gb.zip")
    parser.add_argument("--geo", type=Path, default=Path("data/geo"))
    parser.add_argument("--out", type=Path, default=Path("data/reference"))
    args = parser.parse_args(argv)
    return reduced(build, args.src, args.geo, args.out)


def reduced(build, *args) -> int:
    """Run a reduction: 0, or 1 with the reason on one line when a source file is missing,
    unreadable or not as expected (no traceback)."""
    try:
        build(*args)
    except (SourceError, KeyError, OSError, zipfile.BadZipFile, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
