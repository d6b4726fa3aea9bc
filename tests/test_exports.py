"""Downloads, the data package, the API and the data page, as a journalist would use them."""

import csv
import hashlib
import io
import json
import re
import zipfile

from frictionless import Package
from openpyxl import load_workbook

from generator.build import validate
from generator.export import _csv_bytes, neutralise
from generator.load import Table
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)


def test_every_dataset_has_csv_excel_csv_and_json(real_site):
    for name, table in CATALOG.tables.items():
        plain = (real_site / "data" / f"{name}.csv").read_bytes()
        assert plain.count(b"\r\n") == len(table.rows) + 1 or b'"' in plain
        rows = list(csv.reader(io.StringIO(plain.decode("utf-8"), newline="")))
        assert rows[0] == list(table.header) and len(rows) == len(table.rows) + 1
        excel = (real_site / "data" / f"{name}-excel.csv").read_bytes()
        assert excel == b"\xef\xbb\xbf" + plain
        records = json.loads((real_site / "data" / f"{name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(table.rows) > 0


def test_formula_looking_text_is_neutralised_but_numbers_are_not():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2.7075") == "-2.7075"
    assert neutralise("+44") == "+44"
    assert neutralise("Frimley") == "Frimley"
    table = Table(
        "t",
        "t.csv",
        "t.json",
        {},
        {"fields": [{"name": "a"}, {"name": "b"}]},
        ("a", "b"),
        (),
        (),
        (),
    )
    data = _csv_bytes(table, [{"a": "=1+1", "b": "\tx"}])
    assert data == b"a,b\r\n'=1+1,'\tx\r\n"


def test_the_workbook_has_a_sheet_per_dataset_and_no_formulas(real_site):
    book = load_workbook(real_site / "data" / "ics-atlas.xlsx")
    assert book.sheetnames == ["README", *[name[:31] for name in CATALOG.tables]]
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert len(cells) > 10_000
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    systems = book["systems"]
    assert systems.max_row == len(CATALOG.systems) + 1
    lat = [c.value for c in systems[2] if isinstance(c.value, float)]
    assert lat, "numbers are stored as numbers"


def test_the_zip_holds_every_csv_and_the_package(real_site):
    archive = zipfile.ZipFile(real_site / "data" / "ics-atlas.zip")
    names = set(archive.namelist())
    assert {f"{name}.csv" for name in CATALOG.tables} | {"datapackage.json"} == names


def test_the_published_package_validates_on_its_own(real_site):
    package = Package(str(real_site / "data" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert len(package.resources) == len(CATALOG.tables)
    assert package.licenses[0]["name"] == "OGL-UK-3.0"


def test_data_page_lists_sizes_and_checksums_that_match(real_site):
    html = (real_site / "data" / "index.html").read_text(encoding="utf-8")
    for name in CATALOG.tables:
        data = (real_site / "data" / f"{name}.csv").read_bytes()
        assert hashlib.sha256(data).hexdigest() in html
        assert f'href="{name}.csv"' in html
    for field in CATALOG.tables["systems"].schema["fields"]:
        assert f"<code>{field['name']}</code>" in html
    assert "Open Government Licence v3.0" in html and "Crown copyright" in html


def test_data_page_has_dataset_json_ld(real_site):
    html = (real_site / "data" / "index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@type"] == "Dataset"
    assert data["license"].startswith("https://")
    assert len(data["distribution"]) == 3 * len(CATALOG.tables)
    assert [part["@type"] for part in data["hasPart"]] == ["Dataset"] * len(CATALOG.tables)


def test_the_api_has_a_document_per_system_with_members_and_sources(real_site):
    index = json.loads((real_site / "api" / "systems.json").read_text(encoding="utf-8"))
    assert index["count"] == len(CATALOG.systems)
    doc = json.loads((real_site / "api" / "systems" / "south-east-london.json").read_text())
    assert doc["record"]["ods_code"] == "QKK"
    assert len(doc["members"]) >= 10
    assert doc["sources"] and all(s["url"].startswith("http") for s in doc["sources"])
    case = json.loads((real_site / "api" / "case-studies" / "one-bromley.json").read_text())
    assert case["record"]["id"] == "one-bromley"


def test_a_hyperlink_formula_in_the_data_is_refused(tmp_path):
    import shutil

    from generator.load import load_data
    from generator.validate import check_data

    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    path = data / "regions.csv"
    path.write_text(path.read_text().replace(",London,", ',"=HYPERLINK(""http://x"",""y"")",'))
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(3, "name", "formula")]


def test_the_package_validates_with_the_frictionless_command(real_site):
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(command), "validate", "datapackage.json"],
        cwd=real_site / "data",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "INVALID" not in result.stdout


def test_every_sheet_matches_its_csv_and_the_data(real_site):
    book = load_workbook(real_site / "data" / "ics-atlas.xlsx", read_only=True)
    for name, table in CATALOG.tables.items():
        with (real_site / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            csv_rows = sum(1 for _ in csv.reader(handle)) - 1
        sheet_rows = sum(1 for _ in book[name[:31]].iter_rows()) - 1
        assert sheet_rows == csv_rows == len(table.rows), name


def test_published_sizes_match_the_files(real_site):
    html = (real_site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ["ics-atlas.xlsx", "ics-atlas.zip", "systems.csv", "sources.json"]:
        size = (real_site / "data" / name).stat().st_size
        shown = f"{size / 1024:,.1f} KB" if size >= 1024 else f"{size} bytes"
        row = html[html.index(f'<a href="{name}">') :]
        assert shown in row[: row.index("</tr>")], name
