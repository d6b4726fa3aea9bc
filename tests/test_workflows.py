"""The GitHub workflows: actions pinned to full commit SHAs, the right steps, actionlint clean."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True.
    value = workflow.get("on", workflow.get(True))
    return value if isinstance(value, dict) else {name: None for name in [value] if name}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict) -> list[str]:
    found = [step["uses"] for step in steps(workflow) if "uses" in step]
    found += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    return found


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def action(workflow: dict, name: str) -> dict:
    matching = [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == name]
    assert matching, f"{name} is not used"
    return matching[0]


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def test_both_workflows_exist():
    assert {path.name for path in workflow_files()} >= {"pull-request.yml", "pages.yml"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert uses(workflow)
    for ref in uses(workflow):
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*(- )?uses:", line):
            assert VERSION_COMMENT.search(line), f"{path.name}: no '# vX.Y.Z' after: {line}"


def test_pull_request_workflow():
    workflow = load("pull-request.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    assert action(workflow, "actions/checkout")["with"]["fetch-depth"] == 0
    script = runs(workflow)
    assert re.search(r"-m generator validate\b.*--format github", script)
    assert "make check" in script
    assert re.search(r"-m generator diff .*--format markdown >> \"\$GITHUB_STEP_SUMMARY\"", script)


def test_pages_workflow():
    workflow = load("pages.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert "concurrency" in workflow
    assert "make site" in runs(workflow)
    action(workflow, "actions/configure-pages")
    assert action(workflow, "actions/upload-pages-artifact")["with"]["path"] == "site"
    deploy = action(workflow, "actions/deploy-pages")
    job = next(j for j in workflow["jobs"].values() if deploy in j.get("steps", []))
    assert job["environment"]["name"] == "github-pages"
    assert job["environment"]["url"] == f"${{{{ steps.{deploy['id']}.outputs.page_url }}}}"
    granted = {**workflow.get("permissions", {}), **job.get("permissions", {})}
    assert granted["pages"] == "write"
    assert granted["id-token"] == "write"


@pytest.mark.parametrize("name", ["pull-request.yml", "pages.yml"])
def test_make_targets_the_workflows_run_exist(name):
    targets = set(re.findall(r"\bmake ([A-Za-z0-9_./-]+)", runs(load(name))))
    assert targets
    for target in sorted(targets):
        dry_run = subprocess.run(
            ["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, timeout=60
        )
        assert dry_run.returncode == 0, f"make {target}: {dry_run.stderr}"
