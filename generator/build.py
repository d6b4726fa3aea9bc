"""Build stage: load, validate, model and render, then MkDocs, then swap into place.

The old site is replaced only by a complete new one: everything is built in a temporary
folder beside the output and exchanged with it in one atomic step at the very end.
"""

from __future__ import annotations

import calendar
import ctypes
import errno
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.errors import BuildError, DataErrors, reading
from generator.load import load_data
from generator.model import Catalog, build_catalog
from generator.render import ROOT, render_site
from generator.validate import check_data

MKDOCS_CONFIG = ROOT / "mkdocs.yml"


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


def build_site(data_dir: Path, out_dir: Path, timings: Timings | None = None) -> Catalog:
    """Build the whole site into ``out_dir``, leaving any old site untouched on failure.

    The new site is made in a folder beside ``out_dir`` and exchanged with the old one in one
    atomic step; leftovers of a build that was killed are cleared first.
    """
    timings = timings or Timings()
    catalog = validate(data_dir, timings)
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{out_dir.name}-build-"
    for leftover in out_dir.parent.glob(f"{prefix}*"):
        shutil.rmtree(leftover)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=out_dir.parent) as tmp:
        work = Path(tmp)
        with timings.stage("render"), reading("site_templates/"):
            render_site(catalog, work / "docs", os.environ.get("ATLAS_SITE_URL"))
        with timings.stage("mkdocs"), reading("mkdocs.yml"):
            _run_mkdocs(work / "docs", work / "site", catalog)
        swap_into_place(work / "site", out_dir)
    return catalog


def _run_mkdocs(docs_dir: Path, site_dir: Path, catalog: Catalog) -> None:
    """MkDocs in strict mode: any warning, such as a broken link, fails the build."""
    # Dates in the sitemap come from the data's as_of date, so two builds are identical.
    as_of = catalog.as_of
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(as_of.timetuple()))
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
