"""``make bench``: how long the build takes, how it scales, and what a reader downloads.

Every build runs as its own process, as a maintainer runs it, so its time includes starting
Python and its memory is its own. Each figure is the median of ``runs`` runs. The results are
printed as a table and written to bench/results.json. Timings are measured here, never
asserted in tests: they depend on the machine.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from generator.synthetic import write_synthetic

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026


def run_bench(data: Path, work: Path, runs: int = 3, scales: tuple[int, ...] = (10,)) -> dict:
    """Measure everything ``make bench`` reports; return it as a dict."""
    data, work = Path(data).resolve(), Path(work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    results: dict = {"runs": runs, "cold_real": _median_builds(data, site, runs, cold=True)}
    results["no_change_rebuild"] = _median_builds(data, site, runs, cold=False)
    results["one_row_change_rebuild"] = _one_row_changes(data, work, runs)
    results["validate"] = {"1x": _validation(data, runs)}
    results["mkdocs"] = _plain_mkdocs(data, work, runs)
    results["pages"] = _page_weights(site)
    results["search"] = {"1x": _search_payload(site)}
    one = work / "data-1x"
    write_synthetic(data, one, 1, SEED)
    results["scale"] = {"1x": _median_builds(one, work / "site-1x", runs, cold=True)}
    for scale in scales:
        folder, out = work / f"data-{scale}x", work / f"site-{scale}x"
        write_synthetic(data, folder, scale, SEED)
        results["scale"][f"{scale}x"] = _median_builds(folder, out, runs, cold=True)
        ratio = results["scale"][f"{scale}x"]["seconds"] / results["scale"]["1x"]["seconds"]
        results["scale"][f"exponent_1x_{scale}x"] = round(math.log(ratio) / math.log(scale), 3)
        results["validate"][f"{scale}x"] = _validation(folder, runs)
        results["search"][f"{scale}x"] = _search_payload(out)
    return results


def _build_command(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(out)]


def _timed(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (MB) of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss // 1024


def _median_builds(data: Path, out: Path, runs: int, cold: bool) -> dict:
    times, memory = [], []
    if not cold and not out.exists():
        _timed(_build_command(data, out))
    for _ in range(runs):
        if cold:
            shutil.rmtree(out, ignore_errors=True)
        seconds, megabytes = _timed(_build_command(data, out))
        times.append(seconds)
        memory.append(megabytes)
    return {"seconds": round(statistics.median(times), 2), "peak_memory_mb": max(memory)}


def _one_row_changes(data: Path, work: Path, runs: int) -> dict:
    """Rebuild after changing one system's population, a different value each run."""
    copy, out = work / "data-edit", work / "site-edit"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data, copy)
    _timed(_build_command(copy, out))
    systems = copy / "systems.csv"
    original = systems.read_text(encoding="utf-8")
    times = []
    for run in range(runs):
        marker = ",953852,"  # a population in the real data; any one row will do
        if marker not in original:
            raise RuntimeError("bench: the row to change is not in systems.csv")
        systems.write_text(original.replace(marker, f",{953852 + run + 1},", 1), "utf-8")
        times.append(_timed(_build_command(copy, out))[0])
    return {"seconds": round(statistics.median(times), 2)}


def _validation(data: Path, runs: int) -> dict:
    """Our validation (every check) against bare frictionless on the same CSV files."""
    ours = [
        _timed([sys.executable, "-m", "generator", "validate", "--data", str(data)])[0]
        for _ in range(runs)
    ]
    script = "import sys; from generator.bench import bare_frictionless as b; b(sys.argv[1])"
    bare = [_timed([sys.executable, "-c", script, str(data)])[0] for _ in range(runs)]
    return {
        "ours_seconds": round(statistics.median(ours), 2),
        "frictionless_seconds": round(statistics.median(bare), 2),
    }


def bare_frictionless(folder: str) -> int:
    """Frictionless alone on every CSV dataset, with the same schemas (their foreign keys, which
    our checks word, left out); fails unless every file is valid. Returns the rows read."""
    import frictionless

    data = Path(folder)
    package = yaml.safe_load((data / "schemas" / "datapackage.yaml").read_text("utf-8"))
    rows = 0
    for resource in (r for r in package["resources"] if r["path"].endswith(".csv")):
        schema = json.loads((data / resource["schema"]).read_text("utf-8"))
        schema.pop("foreignKeys", None)
        report = frictionless.Resource(
            path=resource["path"],
            schema=frictionless.Schema.from_descriptor(schema),
            basepath=str(data),
        ).validate(limit_errors=10_000)
        if not report.valid:
            raise RuntimeError(f"{resource['name']}: {report.flatten(['type', 'note'])[:3]}")
        rows += report.tasks[0].stats["rows"]
    return rows


def _plain_mkdocs(data: Path, work: Path, runs: int) -> dict:
    """A plain ``mkdocs build`` of the docs our build generates, against our whole build."""
    docs, site = work / "generated-docs", work / "site-mkdocs"
    _timed([*_build_command(data, work / "site-docs"), "--keep-docs", str(docs)])
    config = work / "mkdocs-plain.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nsite_dir: {site}\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'site_templates' / 'overrides'}\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)]
    plain = [_timed(command)[0] for _ in range(runs)]
    return {"plain_mkdocs_seconds": round(statistics.median(plain), 2)}


@contextlib.contextmanager
def served(folder: Path):
    """Serve a built site on a free loopback port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise RuntimeError("bench: Chromium is needed to weigh the pages (make tools)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            yield browser
        finally:
            browser.close()


def _loads(browser, url: str, action=None) -> dict:
    """Every response a page loads (and, after ``action``, what that loads): count and bytes."""
    page = browser.new_page()
    bodies: list[bytes] = []
    page.on("response", lambda r: bodies.append(r.body()) if r.url.startswith("http") else None)
    page.goto(url, wait_until="networkidle")
    if action:
        bodies.clear()
        action(page)
        page.wait_for_load_state("networkidle")
    page.close()
    return {
        "requests": len(bodies),
        "kb": round(sum(map(len, bodies)) / 1024, 1),
        "gzip_kb": round(sum(len(gzip.compress(b, 6)) for b in bodies) / 1024, 1),
    }


def _page_weights(site: Path) -> dict:
    with served(site) as base, _browser() as browser:
        return {
            "home": _loads(browser, f"{base}/"),
            "system": _loads(browser, f"{base}/systems/thames-valley/"),
        }


def _search_payload(site: Path) -> dict:
    """What the first search for a system's name fetches, after the search page has loaded."""

    def search(page):
        page.fill("#atlas-search input", "Thames")
        page.wait_for_timeout(1500)

    with served(site) as base, _browser() as browser:
        return _loads(browser, f"{base}/search/", search)


def format_results(results: dict) -> str:
    """The results as an aligned table of figures."""
    rows = list(_flatten(results))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _flatten(value, prefix: str = ""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, value


def write_results(results: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "results.json"
    target.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
