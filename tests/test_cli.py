"""The command line as a maintainer meets it: exit codes, error lines, no tracebacks."""

import csv
import shutil

from tests.conftest import FIXTURES, REAL_DATA, run_cli

GOLDEN = FIXTURES / "golden" / "broken_real_data.txt"


def broken_copy(tmp_path):
    """The real data with three defects: a duplicate ODS code, an unknown region, a bad date."""
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    path = data / "systems.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {row["id"]: row for row in rows}
    by_id["frimley"]["ods_code"] = by_id["devon"]["ods_code"]
    by_id["lincolnshire"]["region_id"] = "midland"
    by_id["somerset"]["valid_from"] = "2022-02-30"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return data


def test_real_data_is_valid(tmp_path):
    result = run_cli("validate", "--data", str(REAL_DATA), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_broken_data_gives_exact_lines_and_exit_1(tmp_path, update_golden):
    broken_copy(tmp_path)
    result = run_cli("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    if update_golden:
        GOLDEN.write_text(result.stderr)
    assert result.stderr == GOLDEN.read_text()


def test_duplicate_ods_code_names_file_row_and_field(tmp_path):
    broken_copy(tmp_path)
    result = run_cli("validate", "--data", "data", cwd=tmp_path)
    with (tmp_path / "data" / "systems.csv").open() as handle:
        line = next(n for n, row in enumerate(handle, 1) if row.startswith("frimley,"))
    assert f"data/systems.csv:{line}:ods_code: " in result.stderr


def test_build_refuses_broken_data_and_keeps_the_old_site(tmp_path):
    broken_copy(tmp_path)
    old = tmp_path / "site"
    old.mkdir()
    (old / "index.html").write_text("old site")
    result = run_cli("build", "--data", "data", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert (old / "index.html").read_text() == "old site"
    assert not list(tmp_path.glob(".site-*")), "temporary build folders are cleaned up"


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("frobnicate", cwd=tmp_path).returncode == 2
    assert run_cli("validate", "--data", "no-such-dir", cwd=tmp_path).returncode == 2
