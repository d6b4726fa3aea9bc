"""The site is never left broken, and every failure ends in a message, not a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import generator.build
import generator.load
from generator.__main__ import main
from generator.build import build_site
from generator.errors import BuildError
from tests.conftest import ROOT, make_data, run_cli
from tests.test_cli import broken_copy


def tree_hash(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-"))


def test_a_killed_build_leaves_the_old_site_and_the_next_clears_up(tmp_path):
    data, out = make_data(tmp_path / "data"), tmp_path / "site"
    build_site(data, out)
    before = tree_hash(out)
    assert len(before) > 50
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "build", "--data", "data", "--out", "site"]
    build = subprocess.Popen([*command, "--force"], cwd=tmp_path, env=env)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".site-build-*/docs/index.md")):
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert build.returncode == -signal.SIGKILL
    assert tree_hash(out) == before
    assert beside(out), "the killed build left its folder behind, as only SIGKILL can"
    result = run_cli("build", "--data", "data", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert beside(out) == []
    assert tree_hash(out) == before


def test_a_broken_link_in_docs_fails_the_build(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    shutil.copytree(generator.build.DOCS, docs)
    with (docs / "about.md").open("a") as handle:
        handle.write("\nSee [the missing page](no-such-page.md).\n")
    monkeypatch.setattr(generator.build, "DOCS", docs)
    out = tmp_path / "site"
    with pytest.raises(BuildError, match="no-such-page.md"):
        build_site(make_data(tmp_path / "data"), out)
    assert not out.exists()
    assert beside(out) == []


def test_github_format_prints_one_annotation_per_error(tmp_path):
    broken_copy(tmp_path)
    result = run_cli("validate", "--data", "data", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    # the changed ODS code is both taken by another board and not the board's code in codes.csv
    assert [line.split("::")[1] for line in annotations] == [
        "error file=data/systems.csv,line=46,title=ods_code",
        "error file=data/systems.csv,line=46,title=ods_code",
        "error file=data/systems.csv,line=77,title=region_id",
        "error file=data/systems.csv,line=108,title=valid_from",
    ]
    assert result.stdout.splitlines()[-1] == "4 errors in 1 file"


def test_json_format_lists_every_error(tmp_path):
    broken_copy(tmp_path)
    result = run_cli("validate", "--data", "data", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["count"] == 4
    assert [(e["line"], e["field"], e["code"]) for e in report["errors"]] == [
        (46, "ods_code", "codes"),
        (46, "ods_code", "unique"),
        (77, "region_id", "foreign-key"),
        (108, "valid_from", "type"),
    ]


def test_an_unexpected_failure_is_one_error_naming_the_file(tmp_path, monkeypatch, capsys):
    data = make_data(tmp_path / "data")

    def explode(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.load, "parse_yaml", explode)
    assert main(["validate", "--data", str(data)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"{data.as_posix()}/atlas.yaml:0:-: internal error while reading this file: "
        "RuntimeError: boom (hint: this is a bug in the generator, not in your data; "
        "please report it with this line)",
        "1 error in 1 file",
    ]
