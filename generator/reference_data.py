"""Reduce ONS LSOA lookups to the small reference tables the finder needs.

    python -m generator.reference_data --src DIR [--out data/reference]

DIR holds the original files. Each vintage is read from the first file found:

- 2022-07: ONS "LSOA (2011) to Sub ICB Locations to Integrated Care Boards (July 2022)
  Lookup in England", as the ONS CSV (LSOA11CD, ICB22CD, ICB22CDH, ICB22NM, LAD22CD,
  LAD22NM) or as the copy in geographr, lookup_lsoa11_sicbl22_icb22_ltla22.rda.
- 2024-04: ONS "LSOA (2021) to SICBL to ICB to Cancer Alliances to LAD (April 2024)
  Lookup in EN", as the ONS CSV (LSOA21CD, ICB24CD, ICB24CDH, ICB24NM, LAD24CD, LAD24NM)
  or as geographr's lookup_lsoa21_icb24.rda, which has no LAD columns, joined to
  geographr's lookup_lsoa21_ward24_ltla24.rda (ONS LSOA21 to ward 2024 to LAD 2024).
- 2026-04: ONS "LSOA (2021) to SICBL to ICB to NHSER to LAD (April 2026) Lookup in EN"
  (LSOA21CD, ICB26CD, ICB26CDH, ICB26NM, LAD26CD, LAD26NM), when it is there.

Output: lad_icb.csv, one row per local authority district and board, with the number of
LSOAs they share and that number as a share of the district's LSOAs. Reading .rda needs
the PyPI package rdata; CSVs need nothing beyond the standard library.

The postcode tables (postcode_sectors.csv, lad_boards.csv) come next, from OS Code-Point
Open: generator.reference_postcodes, which takes its district names from lad_icb.csv.
`make reference-data` runs both.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

HEADER = [
    "vintage",
    "lad_code",
    "lad_name",
    "icb_code",
    "icb_ods_code",
    "icb_name",
    "lsoa_count",
    "lad_lsoa_count",
    "share",
    "basis",
]

# vintage -> (LSOA year, ONS CSV names tried, column suffix)
ONS_CSV = {
    "2022-07": ("11", ["LSOA11_SICBL22_ICB22_LAD22_EN_LU.csv"], "22"),
    "2024-04": ("21", ["LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU.csv"], "24"),
    "2026-04": (
        "21",
        [
            "LSOA21_SICBL26_ICB26_NHSER26_LAD26_EN_LU.csv",
            "lsoa21_sicbl26_icb26_nhser26_lad26.csv",
        ],
        "26",
    ),
}


class SourceError(Exception):
    pass


def read_rda(path: Path) -> list[dict[str, str]]:
    try:
        import warnings

        import rdata
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise SourceError(
            f"{path.name}: reading .rda needs the PyPI package rdata (pip install rdata)"
        ) from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = rdata.read_rda(str(path))
    (frame,) = frames.values()
    columns = [str(c) for c in frame.columns]
    return [
        dict(zip(columns, (str(v) for v in row), strict=True))
        for row in frame.itertuples(index=False)
    ]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_from_ons_csv(path: Path, lsoa_year: str, yy: str) -> list[dict[str, str]]:
    out = []
    for row in read_csv(path):
        out.append(
            {
                "lsoa": row[f"LSOA{lsoa_year}CD"],
                "icb_code": row[f"ICB{yy}CD"],
                "icb_ods_code": row[f"ICB{yy}CDH"],
                "icb_name": row[f"ICB{yy}NM"],
                "lad_code": row[f"LAD{yy}CD"],
                "lad_name": row[f"LAD{yy}NM"],
            }
        )
    return out


def rows_2022_geographr(path: Path) -> list[dict[str, str]]:
    return [
        {
            "lsoa": r["lsoa11_code"],
            "icb_code": r["icb22_code"],
            "icb_ods_code": r["icb22_code_h"],
            "icb_name": r["icb22_name"],
            "lad_code": r["ltla22_code"],
            "lad_name": r["ltla22_name"],
        }
        for r in read_rda(path)
    ]


def rows_2024_geographr(icb_path: Path, lad_path: Path) -> list[dict[str, str]]:
    lad = {r["lsoa21_code"]: (r["ltla24_code"], r["ltla24_name"]) for r in read_rda(lad_path)}
    out = []
    for r in read_rda(icb_path):
        if r["lsoa21_code"] not in lad:
            raise SourceError(f"{lad_path.name}: no LAD for LSOA {r['lsoa21_code']}")
        lad_code, lad_name = lad[r["lsoa21_code"]]
        out.append(
            {
                "lsoa": r["lsoa21_code"],
                "icb_code": r["icb24_code"],
                "icb_ods_code": r["icb24_code_nhs"],
                "icb_name": r["icb24_name"],
                "lad_code": lad_code,
                "lad_name": lad_name,
            }
        )
    return out


def load_vintage(src: Path, vintage: str) -> tuple[list[dict[str, str]], str] | None:
    lsoa_year, names, yy = ONS_CSV[vintage]
    for name in names:
        if (src / name).is_file():
            return rows_from_ons_csv(src / name, lsoa_year, yy), name
    if vintage == "2022-07" and (src / "lookup_lsoa11_sicbl22_icb22_ltla22.rda").is_file():
        return rows_2022_geographr(
            src / "lookup_lsoa11_sicbl22_icb22_ltla22.rda"
        ), "lookup_lsoa11_sicbl22_icb22_ltla22.rda"
    if vintage == "2024-04":
        icb, lad = src / "lookup_lsoa21_icb24.rda", src / "lookup_lsoa21_ward24_ltla24.rda"
        if icb.is_file() and lad.is_file():
            return rows_2024_geographr(icb, lad), f"{icb.name} + {lad.name}"
    return None


def lad_icb(rows: list[dict[str, str]], vintage: str, lsoa_year: str) -> list[list[str]]:
    seen: set[str] = set()
    for r in rows:
        if r["lsoa"] in seen:
            raise SourceError(f"{vintage}: LSOA {r['lsoa']} appears twice")
        seen.add(r["lsoa"])
    pair = Counter((r["lad_code"], r["icb_code"]) for r in rows)
    per_lad = Counter(r["lad_code"] for r in rows)
    names = {r["lad_code"]: r["lad_name"] for r in rows}
    icbs = {r["icb_code"]: (r["icb_ods_code"], r["icb_name"]) for r in rows}
    out = []
    for (lad, icb), count in sorted(pair.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        ods, name = icbs[icb]
        share = f"{count / per_lad[lad]:.6f}"
        out.append(
            [
                vintage,
                lad,
                names[lad],
                icb,
                ods,
                name,
                str(count),
                str(per_lad[lad]),
                share,
                f"lsoa{lsoa_year}_count",
            ]
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True, type=Path, help="folder of the original files")
    parser.add_argument("--out", type=Path, default=Path("data/reference"))
    args = parser.parse_args(argv)
    table: list[list[str]] = []
    try:
        for vintage in ONS_CSV:
            loaded = load_vintage(args.src, vintage)
            if loaded is None:
                print(f"{vintage}: no original file in {args.src}; skipped", file=sys.stderr)
                continue
            rows, used = loaded
            part = lad_icb(rows, vintage, ONS_CSV[vintage][0])
            print(f"{vintage}: {len(rows)} LSOAs from {used} -> {len(part)} rows", file=sys.stderr)
            table.extend(part)
    except (SourceError, KeyError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not table:
        print("error: no vintage could be read", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "lad_icb.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(table)
    print(f"wrote {args.out / 'lad_icb.csv'}: {len(table)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
