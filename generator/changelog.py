"""The data changelog: rows added, removed and changed in each dataset, commit by commit,
read from the git history of data/. Outside a git clone it is empty."""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Change:
    dataset: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class Commit:
    date: str
    subject: str
    changes: tuple[Change, ...]


def data_changes(repo: Path, datasets: dict[str, tuple[str, list[str]]]) -> list[Commit]:
    """Newest first. ``datasets`` maps a path under data/ to (dataset name, key columns)."""
    log = _git(repo, "log", "--format=%H%x09%P%x09%cs%x09%s", "--", "data/")
    commits = []
    for line in log.splitlines():
        sha, parents, date, subject = line.split("\t", 3)
        parent = parents.split(" ")[0] if parents else None
        touched = _git(
            repo, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha, "--", "data/"
        ).splitlines()
        changes = []
        for path, (name, keys) in datasets.items():
            files = [f for f in touched if f == f"data/{path}" or f.startswith(f"data/{path}")]
            if files:
                changes.append(_compare(repo, name, keys, path, parent, sha, files))
        if changes:
            commits.append(Commit(date, subject, tuple(changes)))
    return commits


def _compare(repo, name, keys, path, parent, sha, files) -> Change:
    if path.endswith("/"):  # a folder of YAML files: each file is one record
        status = _git(
            repo, "diff", "--name-status", parent or _EMPTY_TREE, sha, "--", f"data/{path}"
        )
        kinds = [line.split("\t")[0][0] for line in status.splitlines() if line]
        return Change(name, kinds.count("A"), kinds.count("D"), kinds.count("M"))
    old = _rows(repo, parent, path, keys) if parent else {}
    new = _rows(repo, sha, path, keys)
    changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
    return Change(name, len(new.keys() - old.keys()), len(old.keys() - new.keys()), changed)


def _rows(repo: Path, commit: str, path: str, keys: list[str]) -> dict:
    text = _git(repo, "show", f"{commit}:data/{path}", check=False)
    rows = csv.DictReader(io.StringIO(text))
    return {tuple(row.get(k) for k in keys) if keys else tuple(row.values()): row for row in rows}


_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id of the empty tree


def _git(repo: Path, *args: str, check: bool = True) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, timeout=60
        )
    except OSError:
        return ""
    return result.stdout if result.returncode == 0 or not check else ""
