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
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell

from generator.load import Table
from generator.model import Catalog
from generator.validate import FORMULA_START

ZIP_TIME = (2020, 1, 1, 0, 0, 0)
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
    catalog: Catalog, folder: Path, repo: Path
) -> tuple[list[Dataset], list[Download]]:
    """Write every download into ``folder`` (the site's data/); return what /data/ lists."""
    folder.mkdir(parents=True, exist_ok=True)
    datasets, files, records_by_table = [], {}, {}
    for table in catalog.tables.values():
        records = records_by_table[table.name] = _records(table)
        plain = files[f"{table.name}.csv"] = _csv_bytes(table, records)
        outputs = {
            f"{table.name}.csv": ("CSV", plain),
            f"{table.name}-excel.csv": ("CSV for Excel (UTF-8 with BOM)", b"\xef\xbb\xbf" + plain),
            f"{table.name}.json": ("JSON", _json_bytes(records)),
        }
        downloads = [_save(folder, name, label, data) for name, (label, data) in outputs.items()]
        datasets.append(
            Dataset(
                table.name,
                table.descriptor.get("title", table.name),
                table.descriptor.get("description", ""),
                len(records),
                table.schema["fields"],
                _changed(repo, table, catalog),
                downloads,
            )
        )
    package = _json_bytes(datapackage(catalog))
    files["datapackage.json"] = package
    everything = [
        _save(
            folder,
            "ics-atlas.xlsx",
            "XLSX workbook, a sheet per dataset",
            _xlsx_bytes(catalog, records_by_table),
        ),
        _save(folder, "ics-atlas.zip", "Zip of every CSV with datapackage.json", _zip_bytes(files)),
        _save(folder, "datapackage.json", "Frictionless data package", package),
    ]
    return datasets, everything


def neutralise(value):
    """A cell as a spreadsheet should see it: text that looks like a formula gets a ' first."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _records(table: Table) -> list[dict]:
    """Rows with typed values: numbers as numbers, blanks as None, the rest as text."""
    types = {f["name"]: f.get("type", "string") for f in table.schema["fields"]}
    cast = {"integer": int, "year": int, "number": float}
    return [
        {
            name: (
                cast[types[name]](row[name])
                if types[name] in cast and row.get(name)
                else row.get(name) or None
            )
            for name in table.header
        }
        for row in table.rows
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
    book = Workbook()
    stamp = dt.datetime.combine(catalog.as_of, dt.time())  # not the clock: builds must match
    book.properties.created = book.properties.modified = stamp
    readme = book.active
    readme.title = "README"
    for line in _readme_lines(catalog):
        readme.append([line])
    for table in catalog.tables.values():
        sheet = book.create_sheet(table.name[:31])
        sheet.append(list(table.header))
        for record in records_by_table[table.name]:
            sheet.append([_xlsx_cell(sheet, _plain(v)) for v in record.values()])
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue(), stamp.isoformat() + "Z")


def _xlsx_cell(sheet, value) -> Cell:
    """A cell whose text is never a formula, whatever it begins with."""
    cell = Cell(sheet, value=neutralise(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = TYPE_STRING
    return cell


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


def _stable_zip(data: bytes, stamp: str) -> bytes:
    """Rewrite an XLSX with fixed timestamps and order, so that builds match.

    openpyxl stamps the time of saving into docProps/core.xml; that becomes ``stamp``.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {info.filename: source.read(info) for info in source.infolist()}
    core = files["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{stamp}", core)
    files["docProps/core.xml"] = core.encode("utf-8")
    return _zip_bytes(files, sort=False)


def _zip_bytes(files: dict[str, bytes], sort: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files) if sort else files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _save(folder: Path, name: str, label: str, data: bytes) -> Download:
    (folder / name).write_bytes(data)
    return Download(name, label, len(data), hashlib.sha256(data).hexdigest())


def _changed(repo: Path, table: Table, catalog: Catalog) -> str:
    """The date the dataset's source files last changed in git, or as_of outside a clone."""
    path = table.descriptor["path"]
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", f"data/{path}"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return catalog.as_of.isoformat()
    return result.stdout.strip() or catalog.as_of.isoformat()


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
