"""python -m generator diff: the data change of the working tree against a git ref."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.diff import DiffError, FieldChange, RowChange, diff_data
from generator.load import load_data
from tests.conftest import FIXTURES, make_data, run_cli

GOLDEN = FIXTURES / "golden" / "diff_one_cell.md"
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
        + ["-c", "commit.gpgsign=false", *args],
        check=True,
        capture_output=True,
        env=GIT_ENV,
    )


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose first commit holds the valid fixture in data/."""
    repo = tmp_path / "repo"
    make_data(repo / "data")
    git(repo, "init", "-q")
    commit(repo, "data")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_one_cell(repo: Path) -> None:
    edit(repo / "data" / "systems.csv", ",773481,", ",773482,")


def dataset_count(repo: Path) -> int:
    count = len(load_data(repo / "data").tables)
    assert count > 1
    return count


def changed(diff) -> dict:
    return {d.name: d for d in diff.datasets if d.status != "same"}


def test_one_cell_names_dataset_key_field_before_and_after(repo):
    change_one_cell(repo)
    result = run_cli("diff", "--data", "data", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Data changes in data/ against HEAD:\n"
        "systems (data/systems.csv): 1 changed\n"
        "  ~ frimley\n"
        '      population: "773481" -> "773482"\n'
        f"no change in {dataset_count(repo) - 1} datasets\n"
    )


def test_one_cell_as_data(repo):
    change_one_cell(repo)
    diff = diff_data(repo / "data", "HEAD")
    systems = changed(diff)["systems"]
    assert list(changed(diff)) == ["systems"]
    assert (systems.added, systems.removed) == ((), ())
    change = FieldChange("population", "773481", "773482")
    assert systems.changed == (RowChange(("frimley",), (change,)),)
    assert diff.meta == ()


def test_no_change_exits_0_and_says_so(repo):
    result = run_cli("diff", "--data", "data", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [f"no change in {dataset_count(repo)} datasets"]


def test_added_and_removed_rows_sorted_by_key(repo):
    events = repo / "data" / "events.csv"
    row = ",frimley,2022-07-01,icb_established,,A new event.,ons-lookup\n"
    lines = events.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("sussex-icb-established,")]
    events.write_text("".join([kept[0], "z-event" + row, *kept[1:], "a-event" + row]))
    edit(
        repo / "data" / "memberships.csv",
        "frimley,surrey-and-borders-partnership-nhs-foundation-trust,partner_trust,"
        "geography,,,2022-07-01,,ons-lookup,\n",
        "",
    )
    result = run_cli("diff", "--data", "data", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:-1] == [
        "events (data/events.csv): 2 added, 1 removed",
        "  + a-event",
        "  + z-event",
        "  - sussex-icb-established",
        "memberships (data/memberships.csv): 1 removed",
        "  - system_id=frimley, organisation_id=surrey-and-borders-partnership-nhs-foundation-trust"
        ", role=partner_trust",
    ]


def test_case_study_yaml_changes(repo):
    case = repo / "data" / "case_studies" / "frimley-test-case.yaml"
    edit(case, "summary: A case study for the tests.", "summary: A changed summary.")
    edit(case, "    value: 54\n", "    value: 55\n")
    found = changed(diff_data(repo / "data", "HEAD"))
    assert sorted(found) == ["case_studies", "case_study_figures"]
    summary = FieldChange("summary", "A case study for the tests.", "A changed summary.")
    assert found["case_studies"].changed == (RowChange(("frimley-test-case",), (summary,)),)
    figures = found["case_study_figures"]  # no primary key: the whole row is the key
    assert [dict(zip(figures.key_fields, k, strict=True))["value"] for k in figures.removed] == [
        "54"
    ]
    assert [dict(zip(figures.key_fields, k, strict=True))["value"] for k in figures.added] == ["55"]
    assert figures.changed == ()


def test_markdown_for_one_cell_matches_golden(repo, update_golden):
    change_one_cell(repo)
    result = run_cli("diff", "--data", "data", "--format", "markdown", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    if update_golden:
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_default_ref_is_origin_main_falling_back_to_head(repo):
    change_one_cell(repo)
    result = run_cli("diff", "--data", "data", cwd=repo)
    assert result.stdout.splitlines()[0] == (
        "Data changes in data/ against HEAD (origin/main not found):"
    )
    assert '      population: "773481" -> "773482"' in result.stdout.splitlines()
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    commit(repo, "one cell")
    result = run_cli("diff", "--data", "data", cwd=repo)
    assert result.stdout.splitlines()[:2] == [
        "Data changes in data/ against origin/main:",
        "systems (data/systems.csv): 1 changed",
    ]


def test_ref_without_the_data_folder_has_everything_added(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("empty\n")
    git(repo, "init", "-q")
    commit(repo, "no data yet")
    make_data(repo / "data")
    diff = diff_data(repo / "data", "HEAD")
    assert {d.status for d in diff.datasets} == {"added"}
    assert len(diff.datasets) == dataset_count(repo)


def test_unknown_ref_is_one_line_and_exit_2(repo):
    result = run_cli("diff", "--data", "data", "no-such-ref", cwd=repo)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "diff: unknown git ref: no-such-ref\n"


def test_data_outside_git_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(DiffError) as caught:
        diff_data(make_data(tmp_path / "data"), "HEAD")
    assert caught.value.exit_code == 2


def test_unreadable_ref_version_names_the_ref_and_exits_1(repo):
    atlas = repo / "data" / "atlas.yaml"
    good = atlas.read_text()
    atlas.write_text("title: [unclosed\n")
    commit(repo, "broken")
    atlas.write_text(good)
    result = run_cli("diff", "--data", "data", "HEAD", cwd=repo)
    assert (result.returncode, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "diff: cannot load the data in HEAD (1 error in 1 file):"
    assert lines[1].startswith("HEAD:data/atlas.yaml:")


def test_unreadable_working_tree_exits_1(repo):
    (repo / "data" / "atlas.yaml").write_text("title: [unclosed\n")
    result = run_cli("diff", "--data", "data", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("diff: cannot load the data in the working tree (")
    assert "data/atlas.yaml:" in result.stderr
