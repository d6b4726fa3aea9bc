"""The shape of the generator: build.py is the one orchestrator, and stages keep to themselves."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
# The commands that drive a build; everything else is a stage or a helper that stages share.
DRIVERS = {"__main__", "bench"}
# What build.py must call, in this order of the pipeline.
STAGES = [
    "load",
    "validate",
    "model",
    "site_maps",
    "export",
    "api",
    "finder",
    "changelog",
    "render",
]


def imports(module: str) -> list[tuple[str, list[str]]]:
    """(imported generator module, names taken from it) for each import in ``module``."""
    tree = ast.parse((GENERATOR / f"{module}.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
            if node.module == "generator":
                found += [(alias.name, []) for alias in node.names]
            else:
                found.append((node.module.split(".", 1)[1], [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.split(".", 1)[1], []) for a in node.names if a.name.startswith("generator.")
            ]
    return found


MODULES = sorted(p.stem for p in GENERATOR.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_no_stage_imports_the_orchestrator(module):
    if module in DRIVERS | {"build"}:
        return
    assert "build" not in [name for name, _ in imports(module)]


@pytest.mark.parametrize("module", MODULES)
def test_no_module_takes_another_modules_private_names(module):
    taken = [(m, n) for m, names in imports(module) for n in names if n.startswith("_")]
    assert taken == []


def test_build_calls_every_stage():
    used = {name for name, _ in imports("build")}
    assert set(STAGES) <= used, set(STAGES) - used


def test_the_pages_stage_writes_pages_only():
    """render.py renders templates: the maps, downloads, API and changelog are other stages."""
    used = {name for name, _ in imports("render")}
    assert used.isdisjoint({"api", "changelog", "redirects", "build"}), used
    assert ("export", ["write_downloads"]) not in imports("render")


@pytest.mark.parametrize("module", MODULES)
def test_modules_stay_short(module):
    lines = len((GENERATOR / f"{module}.py").read_text(encoding="utf-8").splitlines())
    assert lines <= 330, f"{module}.py has {lines} lines: split it by job"


def test_lists_in_cells_are_split_in_one_place():
    for path in GENERATOR.glob("*.py"):
        if path.stem == "cells":
            continue
        text = path.read_text(encoding="utf-8")
        assert 'split(";")' not in text, f"{path.name} splits a list itself: use cells.id_list"
