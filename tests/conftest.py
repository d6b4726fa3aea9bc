"""Shared fixtures: small data folders made from tests/fixtures, and one build of the real data."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REAL_DATA = ROOT / "data"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def make_data(target: Path, case: str | None = None) -> Path:
    """A data folder: the valid fixture, the real schemas, and the files of one invalid case."""
    shutil.copytree(FIXTURES / "valid", target)
    shutil.copytree(REAL_DATA / "schemas", target / "schemas")
    if case:
        shutil.copytree(FIXTURES / "invalid" / case, target, dirs_exist_ok=True)
    return target


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real data, built once for the whole session."""
    out = tmp_path_factory.mktemp("real") / "site"
    build_site(REAL_DATA, out)
    return out


@pytest.fixture(scope="session")
def points_site(tmp_path_factory) -> Path:
    """The real data without its boundary file, so the maps fall back to points."""
    folder = tmp_path_factory.mktemp("points")
    shutil.copytree(REAL_DATA, folder / "data")
    shutil.rmtree(folder / "data" / "geo")
    build_site(folder / "data", folder / "site")
    return folder / "site"


def search_records(site: Path) -> dict[str, dict]:
    """Pagefind's record of each page it indexed, by URL: its title (meta) and its text."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        found[record["url"]] = record
    return found
