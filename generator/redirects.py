"""Pages at the URLs of former ids: each sends the reader on to the system's page now.

A system's plain id is its row in force on as_of, and an earlier version of a continuing board
gets a dated id. URLs are cited in journalism, so the old ones keep working: a small static HTML
page with a link, a meta refresh and a canonical link, which MkDocs copies as it is.
"""

from __future__ import annotations

import html
from pathlib import Path

from generator.model import Catalog

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {name}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>This page has moved. {name} is now at <a href="{target}">{target}</a>.</p>
</body>
</html>
"""


def redirect_page(name: str, target: str) -> str:
    """The HTML of one redirect page; ``target`` is a relative URL."""
    return _PAGE.format(name=html.escape(name), target=html.escape(target, quote=True))


def write_redirects(catalog: Catalog, docs_dir: Path) -> list[str]:
    """Write systems/<former id>/index.html for each former id; return the ids written."""
    written = []
    for old, system in sorted(catalog.redirects().items()):
        target = docs_dir / "systems" / old / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(system.name, f"../{system.id}/"), encoding="utf-8")
        written.append(old)
    return written
