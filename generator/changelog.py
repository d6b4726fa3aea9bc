"""The data changelog: rows added, removed and changed in each dataset, commit by commit,
read from the git history of the data folder being built. Outside a git clone it is empty."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from generator.model import Catalog


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


def data_changes(catalog: Catalog) -> list[Commit]:
    """Newest first: the commits that changed the data folder ``catalog`` was read from."""
    place = git_place(catalog.data_dir)
    if place is None:
        return []
    repo, prefix = place
    datasets = {}
    for table in catalog.tables.values():
        if table.descriptor.get("flatten") == "figures":
            continue  # a case study's figures change with its file, counted as the case study
        keys = table.schema.get("primaryKey", [])
        datasets[prefix + table.descriptor["path"]] = (
            table.name,
            [keys] if isinstance(keys, str) else keys,
        )
    log = _git(repo, "log", "--format=%H%x09%P%x09%cs%x09%s", "--", prefix or ".")
    return [c for line in log.splitlines() if (c := _commit(repo, prefix, line, datasets))]


def git_place(data_dir: Path) -> tuple[Path, str] | None:
    """The git work tree holding ``data_dir`` and the folder's path in it ("data/"), or None."""
    top = _git(Path(data_dir), "rev-parse", "--show-toplevel").strip()
    if not top:
        return None
    prefix = Path(data_dir).resolve().relative_to(Path(top).resolve()).as_posix()
    return Path(top), "" if prefix == "." else prefix + "/"


def _commit(repo: Path, prefix: str, line: str, datasets: dict) -> Commit | None:
    sha, parents, date, subject = line.split("\t", 3)
    parent = parents.split(" ")[0] if parents else None
    touched = _git(
        repo, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha, "--", prefix or "."
    ).splitlines()
    changes = [
        _compare(repo, name, keys, path, parent, sha)
        for path, (name, keys) in datasets.items()
        if any(f.startswith(path) for f in touched)
    ]
    return Commit(sha, date, subject, tuple(changes)) if changes else None


def atom_feed(commits: list[Commit], title: str, fallback_date: str) -> bytes:
    """An Atom feed of the data changes, newest first; dated from the data, not the clock."""
    feed = FeedGenerator()
    feed.id("urn:ics-atlas:data-changes")
    feed.title(f"{title}: data changes")
    feed.author(name="ICS Atlas contributors")
    feed.link(href="changelog/", rel="alternate")
    feed.updated(_stamp(commits[0].date if commits else fallback_date))
    for commit in reversed(commits):  # feedgen puts the entry added last first
        entry = feed.add_entry()
        entry.id(f"urn:ics-atlas:data-change:{commit.sha}")
        entry.title(commit.subject)
        entry.updated(_stamp(commit.date))
        entry.link(href="changelog/", rel="alternate")
        entry.summary(
            "; ".join(
                f"{c.dataset}: {c.added} added, {c.removed} removed, {c.changed} changed"
                for c in commit.changes
            )
        )
    return feed.atom_str(pretty=True)


def _stamp(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)


def _compare(repo, name, keys, path, parent, sha) -> Change:
    if path.endswith("/"):  # a folder of YAML files: each file is one record
        status = _git(repo, "diff", "--name-status", parent or _EMPTY_TREE, sha, "--", path)
        kinds = [line.split("\t")[0][0] for line in status.splitlines() if line]
        return Change(name, kinds.count("A"), kinds.count("D"), kinds.count("M"))
    old = _rows(repo, parent, path, keys) if parent else {}
    new = _rows(repo, sha, path, keys)
    changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
    return Change(name, len(new.keys() - old.keys()), len(old.keys() - new.keys()), changed)


def _rows(repo: Path, commit: str, path: str, keys: list[str]) -> dict:
    text = _git(repo, "show", f"{commit}:{path}", check=False)
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


def last_commit(data_dir: Path) -> str:
    """The last commit that touched ``data_dir``, or "" outside a git clone."""
    return _git(Path(data_dir), "log", "-1", "--format=%H", "--", ".").strip()


def last_changed(catalog: Catalog) -> dict[str, str]:
    """The day each dataset's files last changed in git; as_of outside a clone."""
    place = git_place(catalog.data_dir)
    fallback = catalog.as_of.isoformat()
    if place is None:
        return {name: fallback for name in catalog.tables}
    repo, prefix = place
    return {
        name: _git(
            repo, "log", "-1", "--format=%cs", "--", prefix + table.descriptor["path"]
        ).strip()
        or fallback
        for name, table in catalog.tables.items()
    }
