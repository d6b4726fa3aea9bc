"""Downloads: every dataset as CSV (plain and for Excel), JSON and XLSX, a zip of it all, a
Frictionless data package, and a small static JSON API.

Files are written byte for byte the same from the same data: fixed zip timestamps, sorted
keys, no clocks. Text that a spreadsheet would run as a formula is neutralised with a
leading apostrophe, as OWASP advises; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from repro_zipfile import ReproducibleZipFile

from generator.escape import neutralise
from generator.load import Table
from generator.model import Catalog

LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
_LIST_FIELDS = ("systems", "themes", "sources")


@dataclass(frozen=True)
class Download:
    name: str
    label: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Dataset:
    """One dataset as /data/ shows it."""

    name: str
    title: str
    description: str
    rows: int
    fields: list[dict]
    changed: str
    downloads: list[Download]


def write_downloads(
    catalog: Catalog, folder: Path, changed: dict[str, str]
) -> tuple[list[Dataset], list[Download]]:
    """Write every download into ``folder`` (the site's data/); return what /data/ lists.

    ``changed`` gives the day each dataset last changed, by name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    records = {table.name: _records(catalog, table) for table in catalog.tables.values()}
    csvs = {
        f"{table.name}.csv": _csv_bytes(table, records[table.name])
        for table in catalog.tables.values()
    }
    datasets = [
        _write_dataset(folder, table, records[table.name], csvs, changed[table.name])
        for table in catalog.tables.values()
    ]
    package = _json_bytes(datapackage(catalog))
    workbook = _xlsx_bytes(catalog, records)
    everything = [
        _save(folder, "ics-atlas.xlsx", "XLSX workbook, a sheet per dataset", workbook),
        _save(
            folder,
            "ics-atlas.zip",
            "Zip of every CSV with datapackage.json",
            _zip_bytes({**csvs, "datapackage.json": package}),
        ),
        _save(folder, "datapackage.json", "Frictionless data package", package),
    ]
    return datasets, everything


def _write_dataset(folder: Path, table: Table, records: list[dict], csvs: dict, changed: str):
    """One dataset's CSV, CSV for Excel and JSON; what /data/ says of it."""
    plain = csvs[f"{table.name}.csv"]
    outputs = {
        f"{table.name}.csv": ("CSV", plain),
        f"{table.name}-excel.csv": ("CSV for Excel (UTF-8 with BOM)", b"\xef\xbb\xbf" + plain),
        f"{table.name}.json": ("JSON", _json_bytes(records)),
    }
    return Dataset(
        table.name,
        table.descriptor.get("title", table.name),
        table.descriptor.get("description", ""),
        len(records),
        table.schema["fields"],
        changed,
        [_save(folder, name, label, data) for name, (label, data) in outputs.items()],
    )


def _records(catalog: Catalog, table: Table) -> list[dict]:
    """The typed rows, with dates as ISO text, as every download writes them."""
    return [
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
        for row in catalog.rows[table.name]
    ]


def _csv_bytes(table: Table, records: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for record in records:
        writer.writerow(["" if v is None else neutralise(_plain(v)) for v in record.values()])
    return out.getvalue().encode("utf-8")


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _xlsx_bytes(catalog: Catalog, records_by_table: dict[str, list[dict]]) -> bytes:
    """One workbook, written once: a README sheet, then a sheet per dataset.

    Text is always written as text (never as a formula) and numbers as numbers; the
    timestamps come from the data's as_of date, so two builds give the same bytes.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime.combine(catalog.as_of, dt.time())})
    readme = book.add_worksheet("README")
    for row, line in enumerate(_readme_lines(catalog)):
        readme.write_string(row, 0, line)
    for table in catalog.tables.values():
        sheet = book.add_worksheet(table.name[:31])
        for column, name in enumerate(table.header):
            sheet.write_string(0, column, name)
        for row, record in enumerate(records_by_table[table.name], start=1):
            for column, value in enumerate(record.values()):
                _write_cell(sheet, row, column, _plain(value))
    book.close()
    return buffer.getvalue()


def _write_cell(sheet, row: int, column: int, value) -> None:
    if isinstance(value, str):
        sheet.write_string(row, column, neutralise(value))
    elif value is not None:
        sheet.write_number(row, column, value)


def _readme_lines(catalog: Catalog) -> list[str]:
    meta = catalog.meta
    return [
        f"{meta['title']}, version {meta['version']}, data as of {catalog.as_of}.",
        "One sheet per dataset; the data dictionary is on the /data/ page of the site.",
        "Licence: Open Government Licence v3.0. Contains public sector information licensed "
        "under the Open Government Licence v3.0.",
        "Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
        "Every row cites its sources in source_id; see the sources sheet.",
    ]


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip with its members in name order and fixed times and modes (repro-zipfile)."""
    buffer = io.BytesIO()
    with ReproducibleZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return buffer.getvalue()


def _save(folder: Path, name: str, label: str, data: bytes) -> Download:
    (folder / name).write_bytes(data)
    return Download(name, label, len(data), hashlib.sha256(data).hexdigest())


def dataset_jsonld(catalog: Catalog, datasets: list[Dataset]) -> dict:
    """schema.org Dataset metadata for search engines."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": catalog.meta["title"],
        "description": "Open data on England's integrated care systems, boards and the "
        "partnerships before them, with a source for every row.",
        "version": str(catalog.meta["version"]),
        "license": LICENCE["path"],
        "creator": {"@type": "Organization", "name": catalog.meta["publisher"]},
        "temporalCoverage": f"{_first_date(catalog)}/{catalog.as_of}",
        "spatialCoverage": {"@type": "Place", "name": "England"},
        "distribution": [_distribution(f) for d in datasets for f in d.downloads],
        "hasPart": [
            {
                "@type": "Dataset",
                "name": d.title,
                "description": d.description,
                "url": f"#{d.name.replace('_', '-')}",
                "license": LICENCE["path"],
                "distribution": [_distribution(f) for f in d.downloads],
            }
            for d in datasets
        ],
    }


def _first_date(catalog: Catalog):
    return catalog.events[0].date if catalog.events else catalog.as_of


def _distribution(download: Download) -> dict:
    kind = "text/csv" if download.name.endswith(".csv") else "application/json"
    return {
        "@type": "DataDownload",
        "name": download.name,
        "contentUrl": download.name,
        "encodingFormat": kind,
    }


def datapackage(catalog: Catalog) -> dict:
    """A Frictionless data package of the published CSV files, paths relative to it."""
    sources = [{"title": s.title, "path": s.url} for s in catalog.sources.values()]
    return {
        "name": "ics-atlas",
        "title": catalog.meta["title"],
        "version": str(catalog.meta["version"]),
        "description": "Open data on England's integrated care systems and boards, "
        f"as of {catalog.as_of}.",
        "licenses": [LICENCE],
        "contributors": [{"title": catalog.meta["publisher"], "role": "author"}],
        "sources": sources,
        "resources": [_resource(table) for table in catalog.tables.values()],
    }


def _resource(table: Table) -> dict:
    fields = [
        {k: v for k, v in f.items() if not k.startswith("x-") and k != "hint"}
        for f in table.schema["fields"]
    ]
    schema = {"fields": fields, "missingValues": [""]}
    if table.schema.get("primaryKey"):
        schema["primaryKey"] = table.schema["primaryKey"]
    # Keys to cells that may list several ids (separated by ;) cannot be declared in Table
    # Schema; those columns are described in their field descriptions instead.
    keys = [
        fk
        for fk in table.schema.get("foreignKeys", [])
        if not fk["fields"].endswith("source_id") and fk["fields"] not in _LIST_FIELDS
    ]
    if keys:
        schema["foreignKeys"] = [
            {
                "fields": fk["fields"],
                "reference": {
                    **fk["reference"],
                    "resource": fk["reference"]["resource"].replace("_", "-"),
                },
            }
            for fk in keys
        ]
    return {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": table.descriptor.get("title", table.name),
        "description": table.descriptor.get("description", ""),
        "licenses": [LICENCE],
        "schema": schema,
    }
