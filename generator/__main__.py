"""Command line: python -m generator {validate,build,serve,bench} [--data DIR] [--out DIR].

Exit codes: 0 all well, 1 a data (or build) error, 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import time
from pathlib import Path

from generator.bench import format_results, run_bench, write_results
from generator.boundaries import make_boundaries
from generator.build import build_site, validate
from generator.diff import DiffError, diff_data, format_markdown, format_text
from generator.errors import (
    FORMATS,
    BuildError,
    DataError,
    DataErrors,
    format_errors,
    internal_error,
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data}: no such data folder", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except DataErrors as exc:
        return _report(exc.errors, args.format)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # any input must end in a message, never a traceback
        return _report([internal_error(exc)], args.format)


def _report(errors: list[DataError], style: str) -> int:
    """Print the errors (GitHub annotations and JSON to stdout, text to stderr); exit 1."""
    print(format_errors(errors, style), file=sys.stderr if style == "text" else sys.stdout)
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(required=True, metavar="command")
    for name, run, text in [
        ("validate", _validate, "check the data and print every error"),
        ("build", _build, "validate, then build the site"),
        ("serve", _serve, "build, then preview the site locally"),
        ("diff", _diff, "show how the data differs from a git ref (default: origin/main)"),
        ("bench", _bench, "time the build at 1x and 10x the data and weigh the pages"),
        ("boundaries", _boundaries, "write data/geo/ from an ONS ICB boundary file"),
    ]:
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "--data", type=Path, default=Path("data"), help="data folder (default: data)"
        )
        command.add_argument(
            "--out", type=Path, default=Path("site"), help="output folder (default: site)"
        )
        command.add_argument(
            "--format",
            choices=("text", "markdown") if name == "diff" else FORMATS,
            default="text",
            help="diff: text or markdown; otherwise how to print data errors: "
            "text, github annotations or json (default: text)",
        )
        if name in ("build", "serve"):
            command.add_argument(
                "--force", action="store_true", help="rebuild even if the site is up to date"
            )
        if name == "build":
            command.add_argument("--keep-docs", type=Path, help=argparse.SUPPRESS)
        if name == "bench":
            command.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
            command.add_argument(
                "--scale", type=int, action="append", help="scale factors (default: 10)"
            )
        if name == "serve":
            command.add_argument("--port", type=int, default=8000)
        if name == "diff":
            command.add_argument("ref", nargs="?", help="git ref (default: origin/main, else HEAD)")
        if name == "boundaries":
            command.add_argument("--src", required=True, help="ONS boundary GeoJSON: path or URL")
            command.add_argument(
                "--name",
                default="icb_2022_boundaries",
                help="output name under data/geo/, with its year (default: icb_2022_boundaries)",
            )
            command.add_argument(
                "--tolerance",
                type=float,
                default=0.0,
                help="simplify as one coverage, in degrees (default: keep)",
            )
        command.set_defaults(run=run)
    return parser


def _validate(args) -> int:
    catalog = validate(args.data)
    tables = catalog.tables.values()
    print(f"ok: {sum(len(t.rows) for t in tables)} rows in {len(tables)} datasets are valid")
    return 0


def _build(args) -> int:
    start = time.perf_counter()
    catalog = build_site(
        args.data, args.out, keep_docs=getattr(args, "keep_docs", None), force=args.force
    )
    if catalog is None:
        print(f"{args.out}/ is up to date: built from these very inputs")
        return 0
    pages = sum(1 for _ in args.out.rglob("index.html"))
    print(
        f"built {pages} pages for {len(catalog.systems)} systems into {args.out}/ "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 0


def _serve(args) -> int:
    _build(args)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {args.out}/ on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def _diff(args) -> int:
    try:
        changes = diff_data(args.data, args.ref)
    except DiffError as exc:
        print(f"diff: {exc}", file=sys.stderr)
        return exc.exit_code
    print(format_markdown(changes) if args.format == "markdown" else format_text(changes), end="")
    return 0


def _bench(args) -> int:
    results = run_bench(args.data, Path("bench"), args.runs, tuple(args.scale or [10]))
    print(format_results(results))
    print(f"written to {write_results(results, Path('bench'))}")
    return 0


def _boundaries(args) -> int:
    target = make_boundaries(args.src, args.data, name=args.name, tolerance=args.tolerance)
    print(f"wrote {target} ({target.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
