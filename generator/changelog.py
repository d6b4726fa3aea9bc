"""The data changelog: rows added, removed and changed in each dataset, commit by commit,
read from the git history of data/. Outside a git clone it is empty."""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Change:
    dataset: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class Commit:
    sha: str
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
            if any(f.startswith(f"data/{path}") for f in touched):
                changes.append(_compare(repo, name, keys, path, parent, sha))
        if changes:
            commits.append(Commit(sha, date, subject, tuple(changes)))
    return commits


def atom_feed(commits: list[Commit], title: str, fallback_date: str) -> str:
    """An Atom feed of the data changes, newest first."""

    def stamp(day: str) -> str:
        return f"{day}T00:00:00Z"

    entries = []
    for c in commits:
        summary = "; ".join(
            f"{ch.dataset}: {ch.added} added, {ch.removed} removed, {ch.changed} changed"
            for ch in c.changes
        )
        entries.append(
            "  <entry>\n"
            f"    <id>urn:ics-atlas:data-change:{c.sha}</id>\n"
            f"    <title>{escape(c.subject)}</title>\n"
            f"    <updated>{stamp(c.date)}</updated>\n"
            '    <link rel="alternate" href="changelog/"/>\n'
            f"    <summary>{escape(summary)}</summary>\n"
            "  </entry>\n"
        )
    updated = stamp(commits[0].date if commits else fallback_date)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <title>{escape(title)}: data changes</title>\n"
        "  <id>urn:ics-atlas:data-changes</id>\n"
        f"  <updated>{updated}</updated>\n"
        "  <author><name>ICS Atlas contributors</name></author>\n"
        '  <link rel="alternate" href="changelog/"/>\n' + "".join(entries) + "</feed>\n"
    )


def _compare(repo, name, keys, path, parent, sha) -> Change:
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
