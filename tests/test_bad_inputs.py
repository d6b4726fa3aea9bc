"""A corpus of bad inputs: each refused with exact error lines, no traceback, the old site kept.

Each case in tests/fixtures/bad/<case>/ is laid over the valid fixture: ``data/`` holds the
files it replaces (exact bytes), ``remove.txt`` paths to delete, ``generate.txt`` files too
big to keep in git (``big:<path>:<bytes>``), and ``expected.txt`` the exact stderr of a build.
tests/fixtures/bad/README.md says what each case breaks.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, make_data, run_cli

BAD = FIXTURES / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
OLD_SITE = b"<!doctype html><title>old site</title>\n"
ERROR_LINE = re.compile(r"^\S+:\d+:[^:\s]+: ", re.M)


def overlay(source: Path, data: Path) -> None:
    """Copy each file of ``source`` over ``data``, keeping symbolic links as links."""
    for path in sorted(source.rglob("*")):
        target = data / path.relative_to(source)
        if path.is_dir() and not path.is_symlink():
            target.mkdir(exist_ok=True)
        else:
            target.unlink(missing_ok=True)
            shutil.copy2(path, target, follow_symlinks=False)


def generate(line: str, data: Path) -> None:
    """``big:<path>:<bytes>``: a valid-looking case study padded with a comment to that size."""
    kind, path, size = line.split(":")
    assert kind == "big", line
    head = f"id: {Path(path).stem}\ntitle: Padded\n# "
    (data / path).write_text(head + "x" * (int(size) - len(head) - 1) + "\n")


def make_case(tmp: Path, case: Path) -> Path:
    """tmp/data (the fixture, then the case), an old tmp/site, and tmp/outside.csv beside them."""
    data = make_data(tmp / "data")
    if (case / "data").exists():
        overlay(case / "data", data)
    for name in _lines(case / "remove.txt"):
        (data / name).unlink()
    for line in _lines(case / "generate.txt"):
        generate(line, data)
    shutil.copy(FIXTURES / "valid" / "sources.csv", tmp / "outside.csv")
    (tmp / "site").mkdir()
    (tmp / "site" / "index.html").write_bytes(OLD_SITE)
    return data


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_refused_exactly(tmp_path, name, update_golden):
    case = BAD / name
    make_case(tmp_path, case)
    result = run_cli("build", "--data", "data", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if update_golden:
        (case / "expected.txt").write_text(result.stderr)
    assert result.stderr == (case / "expected.txt").read_text()
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["index.html"]
    assert (tmp_path / "site" / "index.html").read_bytes() == OLD_SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "outside.csv", "site"]


def test_the_corpus_is_large_and_no_case_passes_vacuously():
    assert len(CASES) >= 30
    for name in CASES:
        expected = BAD / name / "expected.txt"
        assert ERROR_LINE.search(expected.read_text()), f"{name}: no file:line:field: error line"


def test_every_case_is_described_in_the_readme():
    readme = (BAD / "README.md").read_text()
    assert sorted(re.findall(r"^\| `([a-z0-9-]+)` \|", readme, re.M)) == CASES


def test_an_excel_csv_with_bom_and_crlf_builds(tmp_path):
    data = make_data(tmp_path / "data")
    overlay(FIXTURES / "excel_bom" / "data", data)
    assert (data / "regions.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    assert b"\r\n" in (data / "systems.csv").read_bytes()
    result = run_cli("build", "--data", "data", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert "North West" in page and "South East" in page
