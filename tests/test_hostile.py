"""No data value can put markup into a page.

Every free-text field of every dataset gets a hostile string that tries each context at once
(HTML text, attributes, Markdown links and attribute lists, JSON in a script, BibTeX, map
tooltips). The site is built with the checks switched off, as if a value had slipped past
them, and no page may contain any of it as markup.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import generator.build
from generator.build import build_site
from tests.conftest import make_data, search_records

PAYLOAD = (
    "Evil\"><script>alert('xss')</script><img src=x onerror=alert('xss')>"
    "[link](javascript:alert('xss')) {: onclick=alert('xss') } "
    "' onmouseover='alert(1)' </title></script>}{\\ |x|"
)
RAW = ["<script>alert(", "<img src=x", "</title></script>"]


def marker(name: str) -> str:
    return f"XSS{name.replace('_', '').replace('.', '').upper()}"


def _free_text(schema: dict) -> list[str]:
    keys = {fk["fields"] for fk in schema.get("foreignKeys", [])}
    return [
        f["name"]
        for f in schema["fields"]
        if f.get("type", "string") == "string"
        and not {"pattern", "enum"} & set(f.get("constraints", {}))
        and f["name"] not in keys
    ]


def poison(data: Path) -> list[str]:
    """Put the payload, with a marker naming the field, in every free-text cell."""
    markers = []
    package = yaml.safe_load((data / "schemas" / "datapackage.yaml").read_text())
    for resource in package["resources"]:
        schema = json.loads((data / resource["schema"]).read_text())
        name, fields = resource["name"], _free_text(schema)
        if resource["path"].endswith("/"):
            continue  # the case studies, poisoned below
        path = data / resource["path"]
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            row.update({f: marker(f"{name}.{f}") + PAYLOAD for f in fields})
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        markers += [marker(f"{name}.{f}") for f in fields]
    for path in (data / "case_studies").glob("*.yaml"):
        record = yaml.safe_load(path.read_text())
        for field in ("title", "summary", "body"):
            record[field] = marker(f"case.{field}") + PAYLOAD
        for figure in record["figures"]:
            figure["label"] = marker("figure.label") + PAYLOAD
        path.write_text(yaml.safe_dump(record))
    return markers + [marker(f"case.{f}") for f in ("title", "summary", "body")]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of every script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def problems(html: str) -> list[str]:
    found = [f"raw {raw!r}" for raw in RAW if raw in html]
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            if name.startswith("on") and ("xss" in value or "alert" in value):
                found.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and value.startswith(("javascript:", "data:text")):
                found.append(f"<{tag} {name}={value[:30]}>")
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
    for attrs, text in parser.scripts:
        if text.strip().startswith("alert("):
            found.append("a script element made of the payload")
        if "json" in attrs.get("type", ""):
            json.loads(text)  # a JSON script that the payload broke out of fails here
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    return build_hostile_site(tmp_path_factory.mktemp("hostile"))


def build_hostile_site(folder):
    """The fixture data with a hostile value in every free-text field, built with the checks
    switched off, as if a value had slipped past them; (site, markers)."""
    data = make_data(folder / "data")
    markers = poison(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.build, "check_data", lambda raw: [])
        build_site(data, folder / "site")
    return folder / "site", markers


def test_the_checks_refuse_the_payload(tmp_path):
    data = make_data(tmp_path / "data")
    poison(data)
    with pytest.raises(generator.build.DataErrors) as caught:
        generator.build.validate(data)
    assert {e.code for e in caught.value.errors} >= {"raw-html"}


def test_no_page_holds_the_payload_as_markup(hostile_site):
    site, _ = hostile_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    found = {}
    for page in pages:
        if bad := problems(page.read_text(encoding="utf-8")):
            found[str(page.relative_to(site))] = bad
    assert found == {}


def test_every_field_reached_a_page(hostile_site):
    """The payload was really rendered: each field's marker appears, escaped, somewhere."""
    site, markers = hostile_site
    text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    shown = {m for m in markers if m in text}
    # downloads only (a source's note is shown once, on /understand/, for the mergers procedure)
    never_on_a_page = {marker("sources.licence"), marker("codes.note")}
    # the finder's JSON only, which find.js writes with textContent
    in_the_finder = {marker("place_names.name")}
    assert shown == set(markers) - never_on_a_page - in_the_finder
    names = "".join(p.read_text(encoding="utf-8") for p in (site / "api" / "find").rglob("*.json"))
    assert all(m in names for m in in_the_finder)
    assert "Evil&#34;&gt;&lt;script&gt;" in text or "Evil&quot;&gt;&lt;script&gt;" in text


def test_bibtex_braces_stay_balanced(hostile_site):
    site, _ = hostile_site
    blocks = []
    for page in site.rglob("index.html"):
        blocks += re.findall(r'<code id="bibtex-[^"]*">(.*?)</code>', page.read_text(), re.S)
    assert blocks
    for block in blocks:
        text = block.replace("&amp;", "&").replace("\\{", "").replace("\\}", "")
        depth = 0
        for char in text:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, block
        assert depth == 0, block


def test_search_index_holds_the_payload_as_text(hostile_site):
    site, _ = hostile_site
    records = search_records(site)
    text = " ".join(r["content"] + " " + json.dumps(r["meta"]) for r in records.values())
    assert "XSSSYSTEMSNAME" in text  # indexed as the words the page showed; the browser
    # test in tests/browser/test_pages.py checks that the search page shows it as text
