"""Diff: what changed in the data folder since a git ref, dataset by dataset and row by row.

The ref's copy of the folder is extracted from git into a temporary folder, and both versions
are read with the load stage, so CSV files and the case study YAML folder are compared alike.
Rows are matched by their schema's ``primaryKey`` (the whole row where there is none).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import DataErrors, summarise
from generator.load import META_FILE, Table, load_data

DEFAULT_REF = "origin/main"
FALLBACK_REF = "HEAD"

Key = tuple[str, ...]


class DiffError(Exception):
    """Raised when there is nothing to compare: git cannot give the ref, or a version will not load.

    ``exit_code`` is 2 for a usage problem (no git, unknown ref) and 1 for a data problem.
    """

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    key: Key
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class DatasetDiff:
    """One dataset compared. ``status`` is added, removed, changed or same."""

    name: str
    path: str
    key_fields: Key
    status: str
    rows: int  # rows in the working tree, or in the ref for a removed dataset
    added: tuple[Key, ...] = ()
    removed: tuple[Key, ...] = ()
    changed: tuple[RowChange, ...] = ()


@dataclass(frozen=True)
class DataDiff:
    """The working tree's data folder (``folder``, relative to the repository) against ``ref``."""

    ref: str
    note: str
    folder: str
    datasets: tuple[DatasetDiff, ...]
    meta: tuple[FieldChange, ...]

    def unchanged(self) -> list[DatasetDiff]:
        return [d for d in self.datasets if d.status == "same"]


def diff_data(data_dir: Path, ref: str | None = None) -> DataDiff:
    """Compare ``data_dir`` with its copy at git ``ref`` (origin/main, else HEAD, by default)."""
    data_dir = Path(data_dir)
    top, prefix = _git(data_dir, "rev-parse", "--show-toplevel", "--show-prefix").split("\n")[:2]
    ref, commit, note = _resolve(data_dir, ref)
    folder = prefix or "./"
    after = _load(data_dir, "the working tree", folder)
    before = None
    with tempfile.TemporaryDirectory() as tmp:
        if _commit(data_dir, f"{commit}:{prefix}"):
            _extract(Path(top), f"{commit}:{prefix}", Path(tmp))
            before = _load(Path(tmp), ref, f"{ref}:{folder}")
    datasets = _compare_tables(before.tables if before else {}, after.tables, prefix)
    meta = _compare_meta(before.meta if before else {}, after.meta)
    return DataDiff(ref, note, folder, datasets, meta)


def _git(data_dir: Path, *args: str, text: bool = True):
    try:
        done = subprocess.run(["git", "-C", str(data_dir), *args], capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None
    if done.returncode:
        problem = (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1]
        raise DiffError(f"git {args[0]} in {data_dir}: {problem}")
    return done.stdout.decode() if text else done.stdout


def _resolve(data_dir: Path, ref: str | None) -> tuple[str, str, str]:
    """The ref to use, its commit, and a note on why when it is not the one asked for."""
    if ref is not None:
        if commit := _commit(data_dir, f"{ref}^{{commit}}"):
            return ref, commit, ""
        raise DiffError(f"unknown git ref: {ref}")
    if commit := _commit(data_dir, f"{DEFAULT_REF}^{{commit}}"):
        return DEFAULT_REF, commit, ""
    if commit := _commit(data_dir, f"{FALLBACK_REF}^{{commit}}"):
        return FALLBACK_REF, commit, f"{DEFAULT_REF} not found"
    raise DiffError(f"neither {DEFAULT_REF} nor {FALLBACK_REF} exists: commit the data first")


def _commit(data_dir: Path, revision: str) -> str:
    """The object name of ``revision``, or "" when there is no such thing."""
    try:
        found = _git(data_dir, "rev-parse", "--verify", "--quiet", "--end-of-options", revision)
    except DiffError:
        return ""
    return found.strip()


def _extract(top: Path, tree: str, tmp: Path) -> None:
    """Write the files of ``tree`` (commit:folder) into ``tmp``, as git archive gives them."""
    tar = _git(top, "archive", "--format=tar", tree, text=False)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive.getmembers():
            target = (tmp / member.name).resolve()
            if member.isfile() and target.is_relative_to(tmp.resolve()):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())


def _load(data_dir: Path, version: str, label: str):
    """Load one version; its errors name files as ``label`` + path, e.g. ``HEAD:data/x.csv``."""
    try:
        return load_data(data_dir)
    except DataErrors as exc:
        shown = data_dir.as_posix().rstrip("/") + "/"
        errors = [replace(e, path=e.path.replace(shown, label, 1)) for e in exc.errors]
        lines = "\n".join(str(e) for e in errors)
        raise DiffError(
            f"cannot load the data in {version} ({summarise(errors)}):\n{lines}", exit_code=1
        ) from None


def _compare_tables(before: dict[str, Table], after: dict[str, Table], prefix: str):
    names = sorted(set(before) | set(after))
    return tuple(_compare_table(before.get(n), after.get(n), prefix) for n in names)


def _compare_table(old: Table | None, new: Table | None, prefix: str) -> DatasetDiff:
    table = new or old
    key_fields = _key_fields(table)
    path = prefix + table.descriptor.get("path", "")
    if old is None or new is None:
        status = "added" if old is None else "removed"
        return DatasetDiff(table.name, path, key_fields, status, len(table.rows))
    old_rows, new_rows = _by_key(old, key_fields), _by_key(new, key_fields)
    added, removed, changed, fields = [], [], [], _header(old, new)
    for key in sorted(set(old_rows) | set(new_rows)):
        olds, news = old_rows.get(key, []), new_rows.get(key, [])
        removed += [key] * max(0, len(olds) - len(news))
        added += [key] * max(0, len(news) - len(olds))
        common = min(len(olds), len(news))  # rows beyond these are counted as added or removed
        pairs = zip(olds[:common], news[:common], strict=True)
        changed += [RowChange(key, c) for o, n in pairs if (c := _changes(o, n, fields))]
    status = "changed" if added or removed or changed else "same"
    rows = (tuple(added), tuple(removed), tuple(changed))
    return DatasetDiff(new.name, path, key_fields, status, len(new.rows), *rows)


def _key_fields(table: Table) -> Key:
    key = table.schema.get("primaryKey") or list(table.header)
    return (key,) if isinstance(key, str) else tuple(key)


def _by_key(table: Table, key_fields: Key) -> dict[Key, list[dict[str, str]]]:
    """Rows by key; a key found twice (invalid data) keeps both, matched in file order."""
    rows = defaultdict(list)
    for row in table.rows:
        rows[tuple(row.get(f) or "" for f in key_fields)].append(row)
    return rows


def _header(old: Table, new: Table) -> list[str]:
    return list(new.header) + [f for f in old.header if f not in new.header]


def _changes(old: dict, new: dict, fields: list[str]) -> tuple[FieldChange, ...]:
    pairs = ((f, old.get(f) or "", new.get(f) or "") for f in fields)
    return tuple(FieldChange(f, a, b) for f, a, b in pairs if a != b)


def _compare_meta(before: dict, after: dict) -> tuple[FieldChange, ...]:
    old = {k: _meta_text(v) for k, v in before.items()}
    new = {k: _meta_text(v) for k, v in after.items()}
    keys = sorted(set(old) | set(new), key=str)
    return tuple(
        FieldChange(str(k), old.get(k, ""), new.get(k, ""))
        for k in keys
        if old.get(k) != new.get(k)
    )


def _meta_text(value) -> str:
    if isinstance(value, str | dt.date):
        return str(value)
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


def _counts(d: DatasetDiff) -> str:
    if d.status in ("added", "removed"):
        return f"{'new' if d.status == 'added' else 'removed'} dataset, {_n(d.rows, 'row')}"
    parts = [(len(d.added), "added"), (len(d.removed), "removed"), (len(d.changed), "changed")]
    return ", ".join(f"{n} {word}" for n, word in parts if n)


def _n(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _title(diff: DataDiff) -> str:
    note = f" ({diff.note})" if diff.note else ""
    return f"Data changes in {diff.folder} against {diff.ref}{note}"


def _same_line(diff: DataDiff) -> str:
    same = diff.unchanged()
    return f"no change in {_n(len(same), 'dataset')}" if same else ""


def format_text(diff: DataDiff) -> str:
    """Plain text for a terminal: + added, - removed, ~ changed, then each changed field."""
    lines = [_title(diff) + ":"]
    if diff.meta:
        lines += [f"{META_FILE}:"] + [f"    {_change_text(c)}" for c in diff.meta]
    for d in diff.datasets:
        if d.status != "same":
            lines += [f"{d.name} ({d.path}): {_counts(d)}", *_rows_text(d)]
    lines += [_same_line(diff)] if diff.unchanged() else []
    return "\n".join(lines) + "\n"


def _rows_text(d: DatasetDiff) -> list[str]:
    lines = [f"  + {_key_text(d.key_fields, k)}" for k in d.added]
    lines += [f"  - {_key_text(d.key_fields, k)}" for k in d.removed]
    for row in d.changed:
        lines += [f"  ~ {_key_text(d.key_fields, row.key)}"]
        lines += [f"      {_change_text(c)}" for c in row.fields]
    return lines


def _key_text(fields: Key, key: Key) -> str:
    if len(key) == 1:
        return key[0]
    return ", ".join(f"{f}={v}" for f, v in zip(fields, key, strict=True))


def _change_text(c: FieldChange) -> str:
    before, after = (json.dumps(v, ensure_ascii=False) for v in (c.before, c.after))
    return f"{c.field}: {before} -> {after}"


def format_markdown(diff: DataDiff, limit: int = 100) -> str:
    """Markdown for a pull request comment or a job summary; at most ``limit`` rows a table."""
    lines = [f"## {_md(_title(diff))}", ""]
    if diff.meta:
        lines += [f"### {META_FILE}", "", *_md_changes([], (((), diff.meta),), limit)]
    for d in diff.datasets:
        if d.status != "same":
            lines += [f"### {_md(d.name)} ({_md(d.path)}): {_counts(d)}", ""]
            lines += _md_rows(d, limit)
    if diff.unchanged():
        names = ", ".join(d.name for d in diff.unchanged())
        lines += [_md(f"{_same_line(diff).capitalize()}: {names}"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_rows(d: DatasetDiff, limit: int) -> list[str]:
    lines = []
    for label, keys in (("Added", d.added), ("Removed", d.removed)):
        if keys:
            lines += [f"**{label}**", "", *_md_table(d.key_fields, [list(k) for k in keys], limit)]
    if d.changed:
        rows = ((r.key, r.fields) for r in d.changed)
        lines += ["**Changed**", "", *_md_changes(list(d.key_fields), rows, limit)]
    return lines


def _md_changes(key_fields: list[str], rows, limit: int) -> list[str]:
    cells = [[*key, c.field, c.before, c.after] for key, changes in rows for c in changes]
    return _md_table([*key_fields, "field", "before", "after"], cells, limit)


def _md_table(header, rows: list[list[str]], limit: int) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows[:limit]]
    more = [f"_and {len(rows) - limit} more_", ""] if len(rows) > limit else []
    return [*lines, "", *more]


def _md_cell(value: str) -> str:
    return _md(value).replace("\r\n", "\n").replace("\n", "<br>") if value else "_(empty)_"


def _md(text: str) -> str:
    """Text shown as itself: Markdown and HTML punctuation escaped with a backslash."""
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in text)


MD_SPECIAL = set("\\`*_[]<>|~&#@")  # inline text only: no block syntax starts in a cell
