"""The downloads opened in a real spreadsheet program, LibreOffice, without a screen."""

import csv
import shutil
import subprocess

import pytest

from generator.build import validate
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)
ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def soffice():
    path = shutil.which("soffice")
    if not path:
        pytest.fail(
            "These tests need LibreOffice: run `make test`, which installs Debian's "
            "libreoffice-calc-nogui as root, or install it yourself."
        )
    return path


def convert(soffice, source, out, target, infilter=None):
    command = [
        soffice,
        "--headless",
        f"-env:UserInstallation=file://{out}/profile",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(source),
    ]
    if infilter:
        command[2:2] = [f"--infilter={infilter}"]
    subprocess.run(command, check=True, capture_output=True, timeout=180)


def read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_every_sheet_of_the_workbook_survives(soffice, real_site, tmp_path):
    convert(soffice, real_site / "data" / "ics-atlas.xlsx", tmp_path, ALL_SHEETS)
    for name, table in CATALOG.tables.items():
        rows = read(tmp_path / f"ics-atlas-{name[:31]}.csv")
        assert len(rows) == len(table.rows) + 1, name
        assert rows[0] == list(table.header)
        assert not any(cell.startswith("=") for row in rows for cell in row)
    events = (tmp_path / "ics-atlas-events.csv").read_text(encoding="utf-8")
    assert "£6 billion" in events


def test_the_csv_keeps_its_text_and_rows(soffice, real_site, tmp_path):
    source = tmp_path / "events.csv"
    shutil.copy(real_site / "data" / "events.csv", source)
    (tmp_path / "out").mkdir()
    convert(soffice, source, tmp_path / "out", "xlsx", infilter="CSV:44,34,76")
    convert(
        soffice,
        tmp_path / "out" / "events.xlsx",
        tmp_path / "back",
        "csv:Text - txt - csv (StarCalc):44,34,76",
    )
    rows = read(tmp_path / "back" / "events.csv")
    assert len(rows) == len(CATALOG.events) + 1
    assert any("£" in cell for row in rows for cell in row)
