"""Build stage: load, validate, model and render, then MkDocs, then swap into place.

The old site is replaced only by a complete new one: everything is built in a temporary
folder beside the output and moved in with renames at the very end.
"""

from __future__ import annotations

import calendar
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

from generator.errors import BuildError, DataErrors
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
    with timings.stage("validate"):
        errors = check_data(raw)
    if errors:
        raise DataErrors(errors)
    with timings.stage("model"):
        return build_catalog(raw)


def build_site(data_dir: Path, out_dir: Path, timings: Timings | None = None) -> Catalog:
    """Build the whole site into ``out_dir``, leaving any old site untouched on failure."""
    timings = timings or Timings()
    catalog = validate(data_dir, timings)
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".site-", dir=out_dir.parent) as tmp:
        work = Path(tmp)
        with timings.stage("render"):
            render_site(catalog, work / "docs")
        with timings.stage("mkdocs"):
            _run_mkdocs(work / "docs", work / "site", catalog)
        _swap(work / "site", out_dir, work / "old")
    return catalog


def _run_mkdocs(docs_dir: Path, site_dir: Path, catalog: Catalog) -> None:
    # Dates in the sitemap come from the data's as_of date, so two builds are identical.
    as_of = catalog.as_of
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(as_of.timetuple()))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(str(MKDOCS_CONFIG), docs_dir=str(docs_dir), site_dir=str(site_dir))
        meta = catalog.meta
        config["copyright"] = (
            f"{meta['title']} version {meta['version']}, data as of {as_of}. "
            f"{config['copyright'] or ''}"
        )
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(str(exc)) from exc


def _swap(new: Path, out_dir: Path, old: Path) -> None:
    if out_dir.exists():
        out_dir.rename(old)
    new.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
