"""The one orchestrator: load → validate → model → pages, maps, downloads, API, finder,
changelog → MkDocs → swap into place. Each stage is a module of its own; only this one
calls them.

The old site is replaced only by a complete new one: everything is built in a temporary
folder beside the output and exchanged with it in one atomic step at the very end. A build
whose inputs are byte for byte those of the site already there does nothing.
"""

from __future__ import annotations

import calendar
import ctypes
import errno
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.api import write_api
from generator.changelog import atom_feed, data_changes, last_changed, last_commit
from generator.errors import BuildError, DataErrors, reading
from generator.explainers import abbreviations
from generator.export import write_downloads
from generator.finder import districts, write_finder
from generator.load import load_data
from generator.model import Catalog, build_catalog
from generator.redirects import write_redirects
from generator.render import Artefacts, render_pages
from generator.site_maps import map_tiles, write_maps
from generator.timeline import write_timeline
from generator.validate import check_data

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS_CONFIG = ROOT / "mkdocs.yml"
STAMP = ".build-inputs"  # in the built site: the hash of the inputs it was built from
# Everything besides the data that a build reads: a change to any of it rebuilds.
CODE_INPUTS = ("generator", "site_templates", "docs", "mkdocs.yml", "requirements.lock")


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        self.stages[name] = time.perf_counter() - start


def validate(data_dir: Path, timings: Timings | None = None) -> Catalog:
    """Load and check the data; raise DataErrors listing every problem."""
    timings = timings or Timings()
    with timings.stage("load"):
        raw = load_data(data_dir)
    with timings.stage("validate"), reading(f"{Path(data_dir).as_posix()}/"):
        errors = check_data(raw)
    if errors:
        raise DataErrors(errors)
    with timings.stage("model"):
        return build_catalog(raw)


def build_site(
    data_dir: Path,
    out_dir: Path,
    timings: Timings | None = None,
    keep_docs: Path | None = None,
    force: bool = False,
) -> Catalog | None:
    """Build the whole site into ``out_dir``, leaving any old site untouched on failure.

    The new site is made in a folder beside ``out_dir`` and exchanged with the old one in one
    atomic step; leftovers of a build that was killed are cleared first. Returns None, having
    done nothing, when ``out_dir`` was built from the same inputs (unless ``force``).
    ``keep_docs`` keeps a copy of the generated Markdown (for ``make bench``).
    """
    timings = timings or Timings()
    out_dir = Path(out_dir).resolve()
    prefix = f".{out_dir.name}-build-"
    for leftover in out_dir.parent.glob(f"{prefix}*"):
        shutil.rmtree(leftover)
    with timings.stage("fingerprint"):
        inputs = fingerprint(data_dir)
    if not (force or keep_docs) and _stamp_of(out_dir) == inputs:
        return None
    catalog = validate(data_dir, timings)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Zip times and the sitemap's dates come from the data's as_of date, not the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(catalog.as_of.timetuple()))
    with tempfile.TemporaryDirectory(prefix=prefix, dir=out_dir.parent) as tmp:
        site = _make_site(catalog, Path(tmp), timings, keep_docs)
        (site / STAMP).write_text(inputs + "\n", encoding="utf-8")
        swap_into_place(site, out_dir)
    return catalog


def _make_site(catalog: Catalog, work: Path, timings: Timings, keep_docs: Path | None) -> Path:
    """The pages and files in work/docs, then MkDocs and the search index in work/site."""
    with reading("site_templates/"):
        _render(catalog, work / "docs", timings)
    if keep_docs:
        shutil.copytree(work / "docs", keep_docs, dirs_exist_ok=True)
    with timings.stage("mkdocs"), reading("mkdocs.yml"):
        _run_mkdocs(work / "docs", work / "site", catalog)
    with timings.stage("search"):
        index_search(work / "site")
    return work / "site"


def _render(catalog: Catalog, docs: Path, timings: Timings) -> None:
    """Every stage that writes into the MkDocs folder, in order."""
    shutil.copytree(DOCS, docs, dirs_exist_ok=True)
    tiles = map_tiles(MKDOCS_CONFIG)
    with timings.stage("maps"):
        write_maps(catalog, docs, tiles)
    with timings.stage("downloads"):
        datasets, everything = write_downloads(catalog, docs / "data", last_changed(catalog))
    with timings.stage("api"):
        api_counts = write_api(catalog, docs / "api")
        found = districts(catalog)
        finder_counts = write_finder(catalog, docs / "api", found)
        write_timeline(catalog, docs / "api")
    with timings.stage("changelog"):
        commits = data_changes(catalog)
        feed = atom_feed(commits, catalog.meta["title"], catalog.as_of.isoformat())
        (docs / "feed.xml").write_bytes(feed)
    write_redirects(catalog, docs)
    made = Artefacts(datasets, everything, api_counts, commits, finder_counts, found)
    with timings.stage("pages"):
        render_pages(catalog, docs, made, tiles, os.environ.get("ATLAS_SITE_URL"))


def fingerprint(data_dir: Path) -> str:
    """A hash of everything a build reads: the data, the code, the templates, the settings."""
    digest = hashlib.sha256()
    roots = [Path(data_dir), *(ROOT / name for name in CODE_INPUTS)]
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(os.environ.get("ATLAS_SITE_URL", "").encode())
    digest.update(last_commit(data_dir).encode())  # the changelog reads the git history
    return digest.hexdigest()


def index_search(site: Path) -> None:
    """Pagefind's search index of the built pages, in site/pagefind/ (same pages, same bytes)."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise BuildError(f"the search index failed: {result.stderr.strip() or result.stdout}")


def _stamp_of(out_dir: Path) -> str | None:
    stamp = out_dir / STAMP
    return stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None


def _run_mkdocs(docs_dir: Path, site_dir: Path, catalog: Catalog) -> None:
    """MkDocs in strict mode: any warning, such as a broken link, fails the build."""
    as_of = catalog.as_of
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    warnings = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        # The published address, when the build is told it (GitHub Pages does), gives the 404
        # page links that work under a sub-path.
        address = os.environ.get("ATLAS_SITE_URL")
        extra = {"site_url": address.rstrip("/") + "/"} if address else {}
        config = load_config(
            str(MKDOCS_CONFIG), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True, **extra
        )
        meta = catalog.meta
        # The glossary's acronyms, explained where they appear on any page (<abbr title>).
        config["mdx_configs"]["abbr"] = {"glossary": abbreviations(catalog.glossary)}
        config["copyright"] = (
            f"{meta['title']} version {meta['version']}, data as of {as_of}. "
            f"{config['copyright'] or ''}"
        )
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError("; ".join([*warnings.messages, str(exc)])) from exc
    finally:
        logger.removeHandler(warnings)


class _Collector(logging.Handler):
    """Keeps MkDocs' warnings, so a strict-mode failure says what the warnings were."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def swap_into_place(new: Path, out_dir: Path) -> None:
    """Put ``new`` where ``out_dir`` is; the old site ends up at ``new``'s path.

    Where the system can exchange two paths atomically (Linux's renameat2), there is no
    moment without a site; elsewhere two renames follow each other.
    """
    if not out_dir.exists():
        new.rename(out_dir)
        return
    if not _exchange(new, out_dir):
        old = new.with_name(new.name + "-old")
        out_dir.rename(old)
        new.rename(out_dir)
        old.rename(new)


def _exchange(a: Path, b: Path) -> bool:
    renameat2 = getattr(_LIBC, "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, bytes(a), at_cwd, bytes(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL):  # the kernel or file system cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(b))


_LIBC = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None
