"""CONTRIBUTING.md, followed literally: its case study validates, and its make targets exist."""

import re
import shutil
import textwrap

import yaml

from tests.conftest import REAL_DATA, ROOT, run_cli

GUIDE = ROOT / "CONTRIBUTING.md"
OK_LINE = re.compile(r"^ok: (\d+) rows in \d+ datasets are valid$", re.MULTILINE)


def section(title: str) -> str:
    """The text under a ``## title`` heading, up to the next heading of that level."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"CONTRIBUTING.md has no '## {title}' section"
    return match.group(1)


def first_yaml_block(text: str) -> str:
    """The first fenced yaml block, dedented (it may sit inside a numbered list)."""
    match = re.search(r"^( *)```yaml\n(.*?)^\1```", text, re.MULTILINE | re.DOTALL)
    assert match, "no ```yaml block"
    return textwrap.dedent(match.group(2))


def rows_in(result) -> int:
    match = OK_LINE.search(result.stdout)
    assert match, result.stdout + result.stderr
    return int(match.group(1))


def test_case_study_recipe_validates(tmp_path):
    recipe = section("Add a case study")
    name = re.search(r"`data/case_studies/([a-z0-9-]+\.yaml)`", recipe)
    assert name, "the recipe names no file under data/case_studies/"
    example = first_yaml_block(recipe)
    record = yaml.safe_load(example)
    assert record["id"] + ".yaml" == name.group(1), "the id must be the file name"
    assert not (REAL_DATA / "case_studies" / name.group(1)).exists(), "the example is real data"

    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    before = run_cli("validate", "--data", str(data), cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    (data / "case_studies" / name.group(1)).write_text(example, encoding="utf-8")
    after = run_cli("validate", "--data", str(data), cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    # One case study row, and one row of case_study_figures for each figure.
    assert rows_in(after) == rows_in(before) + 1 + len(record["figures"])


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+):(?!=)", text, re.MULTILINE))


def test_every_make_target_named_exists():
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)
    named = set(re.findall(r"`make ([a-z][a-z-]*)", text))
    for block in blocks:
        named |= set(re.findall(r"^\s*make ([a-z][a-z-]*)", block, re.MULTILINE))
    assert {"validate", "site", "serve", "test", "diff"} <= named
    assert named <= makefile_targets(), named - makefile_targets()
