"""Citing: numbered references to sources on a page, and how to cite a page of the site."""

from __future__ import annotations

from markupsafe import Markup

from generator import escape
from generator.cells import id_list
from generator.model import Catalog


class References:
    """Numbered references to sources for one page: [1], [2], listed in full at its end."""

    def __init__(self):
        self.ids: list[str] = []

    def __call__(self, source_ids: str | None) -> Markup:
        marks = []
        for source_id in id_list(source_ids):
            if source_id not in self.ids:
                self.ids.append(source_id)
            number = self.ids.index(source_id) + 1
            marks.append(f'<a class="atlas-ref" href="#source-{number}">[{number}]</a>')
        return Markup(" ".join(marks))


def citation(catalog: Catalog, title: str, path: str, site_url: str | None = None) -> dict:
    """APA-style text and BibTeX for one page of the site."""
    meta, year = catalog.meta, catalog.as_of.year
    key = "icsatlas-" + "".join(c if c.isalnum() else "-" for c in path.strip("/#")).strip("-")
    page = f"{site_url.rstrip('/')}{path}" if site_url else path
    where = f"ICS Atlas, version {meta['version']}, data as of {catalog.as_of}, page {page}"
    apa = f"{meta['publisher']} ({year}). {title} [Data set]. {where}."
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{escape.bibtex(meta['publisher'])}}}}},",
            f"  title = {{{escape.bibtex(title)}}},",
            f"  year = {{{year}}},",
            f"  note = {{{escape.bibtex(where)}}}",
            "}",
        ]
    )
    return {"key": key, "apa": apa, "bibtex": bibtex}
