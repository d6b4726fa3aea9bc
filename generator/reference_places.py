"""Reduce OS Open Names populated places to English place names with their district.

    python -m generator.reference_places --src DIR [--out data/reference]

DIR holds gb_populated_places_all_BNG_csv.zip (the populated places of OS Open Names, every
OS column) and codepo_gb.zip (OS Code-Point Open, as for generator.reference_postcodes).
Each English place (COUNTRY England) keeps its name (NAME1, and NAME2 where OS gives an
alternative still in use) and its kind (OS LOCAL_TYPE). Its local authority district is
that of the nearest live English Code-Point Open postcode to its National Grid point,
found by a search over 1 km grid cells; its point is converted to WGS84 (generator.osgb).
A name that OS gives more than once in one district is kept once, with the largest kind.
Every district code must be in lad_boards.csv in --out, which generator.reference_postcodes
writes first.

Output: place_names.csv (name, kind, lad_code, lat, lon, source_id), sorted by name.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.osgb import grid_to_wgs84
from generator.reference_postcodes import ENGLAND, NO_POINT, SourceError, reduced, write_csv

PLACES_ZIP = "gb_populated_places_all_BNG_csv.zip"
PLACES_CSV = "gb_populated_places_all_BNG.csv"
CODEPOINT_ZIP = "codepo_gb.zip"
SOURCE_ID = "os-open-names"
# OS LOCAL_TYPE of a populated place, largest first
KINDS = ("City", "Town", "Suburban Area", "Village", "Hamlet", "Other Settlement")
# OS gives the Latin names of four Roman towns as NAME2; nobody looks a town up by them
UNUSED_SUFFIX = " Roman Town"
CELL_M = 1000.0
HEADER = ["name", "kind", "lad_code", "lat", "lon", "source_id"]


@dataclass(frozen=True)
class Points:
    """National Grid points (metres) and the district of each, in the order they were read."""

    east: np.ndarray
    north: np.ndarray
    lad: list[str]


def read_places(archive: zipfile.ZipFile) -> list[dict]:
    """The English rows of OS Open Names populated places, as OS wrote them."""
    with archive.open(PLACES_CSV) as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
    english = [r for r in rows if r["COUNTRY"] == "England"]
    for row in english:
        if row["TYPE"] != "populatedPlace" or row["LOCAL_TYPE"] not in KINDS:
            raise SourceError(f"{PLACES_CSV}: {row['ID']} is a {row['LOCAL_TYPE']!r}, not a place")
    if not english:
        raise SourceError(f"{PLACES_CSV}: no English places")
    return english


def read_postcodes(archive: zipfile.ZipFile) -> Points:
    """Live English Code-Point Open postcodes with a grid reference and a district code."""
    east, north, lad = [], [], []
    names = sorted(n for n in archive.namelist() if n.startswith("Data/CSV/"))
    for name in (n for n in names if n.endswith(".csv")):
        with archive.open(name) as raw:
            for row in csv.reader(io.TextIOWrapper(raw, encoding="utf-8")):
                if row[4] == ENGLAND and row[1] != NO_POINT and row[8]:
                    east.append(float(row[2]))
                    north.append(float(row[3]))
                    lad.append(row[8])
    if not lad:
        raise SourceError(f"{CODEPOINT_ZIP}: no English postcodes in Data/CSV/")
    return Points(np.array(east), np.array(north), lad)


class Grid:
    """Points bucketed in square cells, for the nearest point to many others."""

    def __init__(self, points: Points, cell: float = CELL_M):
        self.cell = cell
        keys = self._key(np.floor(points.east / cell), np.floor(points.north / cell))
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]
        self.east, self.north = points.east[self.order], points.north[self.order]

    @staticmethod
    def _key(cx, cy):
        return np.asarray(cx, dtype=np.int64) * 1_000_000 + np.asarray(cy, dtype=np.int64)

    def _in(self, cx: int, cy: int) -> slice:
        key = int(self._key(cx, cy))
        return slice(*np.searchsorted(self.keys, [key, key + 1]))

    def nearest(self, x: float, y: float) -> tuple[int, float]:
        """Index (in read order) of the nearest point and its distance; ties go to the first read.

        After ring r of cells round the point's cell, any point not yet seen is at least
        r cells away, so the search stops once the best is that close."""
        cx, cy = int(x // self.cell), int(y // self.cell)
        best, best_d2, ring = -1, np.inf, -1
        while best < 0 or best_d2 > (ring * self.cell) ** 2:
            ring += 1
            for dx, dy in _ring(ring):
                part = self._in(cx + dx, cy + dy)
                d2 = (self.east[part] - x) ** 2 + (self.north[part] - y) ** 2
                for k in np.flatnonzero(d2 <= best_d2):
                    index = int(self.order[part.start + k])
                    if d2[k] < best_d2 or (d2[k] == best_d2 and index < best):
                        best, best_d2 = index, float(d2[k])
        return best, best_d2**0.5


def _ring(r: int) -> list[tuple[int, int]]:
    if r == 0:
        return [(0, 0)]
    return [
        (dx, dy) for dx in range(-r, r + 1) for dy in range(-r, r + 1) if max(abs(dx), abs(dy)) == r
    ]


def names_of(row: dict) -> list[str]:
    """NAME1, and NAME2 unless it is a name not in use."""
    found = [row["NAME1"].strip(), row["NAME2"].strip()]
    return [n for n in found if n and not n.endswith(UNUSED_SUFFIX)]


def place_rows(places: list[dict], lads: list[str]) -> list[list]:
    """One row per name and district, keeping the largest kind, then the lowest OS ID."""
    east = np.array([float(r["X"]) for r in places])
    lon, lat = grid_to_wgs84(east, np.array([float(r["Y"]) for r in places]))
    best: dict[tuple[str, str], tuple] = {}
    for i, (row, lad) in enumerate(zip(places, lads, strict=True)):
        rank = (KINDS.index(row["LOCAL_TYPE"]), row["ID"])
        for name in names_of(row):
            if (name, lad) not in best or rank < best[name, lad][0]:
                best[name, lad] = (rank, i)
    rows = [
        [name, places[i]["LOCAL_TYPE"], lad, f"{lat[i]:.4f}", f"{lon[i]:.4f}", SOURCE_ID]
        for (name, lad), (_, i) in best.items()
    ]
    return sorted(rows, key=lambda r: (r[0].casefold(), r[0], r[2]))


def known_lads(lad_boards: Path) -> set[str]:
    with lad_boards.open(encoding="utf-8", newline="") as handle:
        return {row["lad_code"] for row in csv.DictReader(handle)}


def report(distances: list[float], rows: list[list]) -> None:
    d = np.array(distances)
    print(
        f"{len(d)} English places; nearest postcode a median {np.median(d):.0f} m away,"
        f" 95th percentile {np.percentile(d, 95):.0f} m, farthest {d.max():.0f} m;"
        f" {len(rows)} rows in {len({r[2] for r in rows})} districts",
        file=sys.stderr,
    )


def build(src: Path, out: Path) -> None:
    with zipfile.ZipFile(src / PLACES_ZIP) as archive:
        places = read_places(archive)
    with zipfile.ZipFile(src / CODEPOINT_ZIP) as archive:
        grid_points = read_postcodes(archive)
    grid = Grid(grid_points)
    found = [grid.nearest(float(r["X"]), float(r["Y"])) for r in places]
    lads = [grid_points.lad[i] for i, _ in found]
    unknown = sorted(set(lads) - known_lads(out / "lad_boards.csv"))
    if unknown:
        raise SourceError(f"districts not in lad_boards.csv: {', '.join(unknown)}")
    rows = place_rows(places, lads)
    report([d for _, d in found], rows)
    write_csv(out / "place_names.csv", HEADER, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True, type=Path, help=f"folder with {PLACES_ZIP}")
    parser.add_argument("--out", type=Path, default=Path("data/reference"))
    args = parser.parse_args(argv)
    return reduced(build, args.src, args.out)


if __name__ == "__main__":
    sys.exit(main())
