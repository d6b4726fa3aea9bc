"""/understand/ and /glossary/: numbers from the data, a diagram with words, every acronym
defined, and the abbreviations that explain acronyms across the site."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.build import build_site, validate
from generator.explainers import abbreviations
from generator.load import load_data
from generator.records import Term
from generator.timeline import waves
from generator.validate import check_data
from tests.conftest import REAL_DATA, make_data

CATALOG = validate(REAL_DATA)
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z](?=s?\b)")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?: million)?")
# Text that holds no number of ours: source markers, the source list, the citation box.
SKIPPED = {"atlas-ref", "atlas-sources", "atlas-cite"}
MARKED = ("data", "time")  # elements that carry a number or date from the data


def read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


class Numbers(HTMLParser):
    """Each run of text with digits, with the data element, date or data text it is in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[str, str, dict]] = []  # (context, text, attributes)

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "input", "rect", "hr"):
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        pass  # <rect/> and the like hold no text

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not re.search(r"\d", data) or self._skipped():
            return
        self.found.append((*self._context(), data))

    def _skipped(self) -> bool:
        classes = {c for _, a in self.stack for c in (a.get("class") or "").split()}
        return bool(classes & SKIPPED)

    def _context(self) -> tuple[str, dict]:
        for tag, attrs in reversed(self.stack):
            if tag in MARKED or tag == "svg" or "atlas-data-text" in attrs.get("class", ""):
                return ("data-text" if tag == "span" else tag), attrs
        return "typed", {}


def value_of(text: str) -> float:
    number = float(text.replace(" million", "").replace(",", ""))
    return number * 1_000_000 if text.endswith("million") else number


def data_numbers(catalog) -> set[float]:
    """Every number the data holds or that the page counts from it."""
    found = {f.value for f in catalog.national_figures.values()}
    found |= {s.value for s in catalog.stats} | {s.population for s in catalog.systems.values()}
    counted = [
        catalog.places,
        {p.system_id for p in catalog.places},
        catalog.current_systems(),
        [e for e in catalog.events if e.type == "icb_established"],
        {e.system_id for e in catalog.events if e.type == "clustered"},
        [s for s in catalog.systems.values() if s.valid_from == dt.date(2026, 4, 1)],
        [s for s in catalog.systems.values() if s.valid_to == dt.date(2026, 3, 31)],
    ]
    found |= {len(items) for items in counted}
    found |= {len(w.new) for w in waves(catalog)} | {len(w.in_force) for w in waves(catalog)}
    return found - {None}


def data_dates(catalog) -> set[str]:
    days = {catalog.as_of} | {e.date for e in catalog.events}
    days |= {s.published for s in catalog.sources.values()} | {s.as_of for s in catalog.stats}
    days |= {f.as_of for f in catalog.national_figures.values()}
    days |= {d for s in catalog.systems.values() for d in (s.valid_from, s.valid_to)}
    return {d.isoformat() for d in days if d}


def data_texts(catalog) -> set[str]:
    """Every cell of every table, for the words from the data that hold a digit."""
    return {
        value for table in catalog.tables.values() for row in table.rows for value in row.values()
    }


def test_every_number_on_understand_comes_from_the_data(real_site):
    parser = Numbers()
    parser.feed(article(read(real_site, "understand")))
    numbers, dates, texts = data_numbers(CATALOG), data_dates(CATALOG), data_texts(CATALOG)
    assert len(parser.found) > 40
    wrong = []
    for context, attrs, text in parser.found:
        if context == "typed":
            wrong.append(f"typed into the template: {text.strip()!r}")
        elif context == "data" and float(attrs["value"]) not in numbers:
            wrong.append(f"not in the data: {attrs['value']}")
        elif context == "time" and not any(d.startswith(attrs["datetime"]) for d in dates):
            wrong.append(f"not a date in the data: {attrs['datetime']}")
        elif context == "data-text" and not any(text in cell for cell in texts):
            wrong.append(f"not a value in the data: {text!r}")
        elif context == "svg" and not all(value_of(n) in numbers for n in NUMBER.findall(text)):
            wrong.append(f"diagram number not in the data: {text!r}")
    assert wrong == []


def test_a_typed_number_would_be_caught():
    parser = Numbers()
    parser.feed('<p>There were <data value="44">44</data> footprints and 7 regions.</p>')
    found = [(context, text) for context, _, text in parser.found]
    assert found == [("data", "44"), ("typed", " footprints and 7 regions.")]


def test_a_changed_figure_changes_the_page(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "national_figures.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    before = {r["id"]: r["value"] for r in rows}
    for row in rows:
        row["value"] = {"stp-footprints": "47", "personalised-care-people": "3100000"}.get(
            row["id"], row["value"]
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    build_site(data, tmp_path / "site")
    html = read(tmp_path / "site", "understand")
    assert before["stp-footprints"] != "47"
    assert '<data value="47">47</data>' in html
    assert '<data value="3100000">3.1 million</data>' in html
    assert '<data value="2500000">' not in html


def test_the_real_figures_are_on_the_page(real_site):
    html = read(real_site, "understand")
    for figure in CATALOG.national_figures.values():
        assert f'id="figure-{figure.id}"' in html, figure.id
    assert '<data value="44">44</data>' in html  # the STP footprints of 2016
    assert '<data value="2500000">2.5 million</data>' in html


def test_the_levels_diagram_has_a_text_equivalent(real_site):
    html = article(read(real_site, "understand"))
    svg = html[html.index("<svg") : html.index("</svg>")]
    tag = svg[: svg.index(">")]
    assert 'role="img"' in tag
    title = re.search(r'aria-labelledby="([^"]+)"', tag).group(1)
    table_id = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    assert re.search(rf'<title id="{title}">[^<]*neighbourhoods[^<]*</title>', svg)
    table = html[html.index(f'id="{table_id}"') : html.index("</table>", html.index(table_id))]
    words = re.sub(r"<[^>]+>", "", table)
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert len(drawn) >= 6
    for text in drawn:
        for number in NUMBER.findall(text):
            assert number in words, f"{number} is drawn but not in the table"
    for level in ("System", "Place", "Neighbourhood"):
        assert f">{level}</text>" in svg and f'<th scope="row">{level}</th>' in table


def test_understand_links_real_examples_and_history(real_site):
    html = read(real_site, "understand")
    assert 'href="../history/"' in html
    for stat in (s for s in CATALOG.stats if s.measure == "pcn_count"):
        assert f'href="../systems/{stat.system_id}/"' in html
    assert any(f">{p.name} in <" in html for p in CATALOG.places)


def acronyms(html: str) -> set[str]:
    """The acronyms in a page's title and headings."""
    found = set()
    for text in re.findall(r"<title>(.*?)</title>|<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S):
        plain = re.sub(r"<[^>]+>", " ", " ".join(text))
        found |= set(ACRONYM.findall(plain.replace("&amp;", "&")))
    return found


def dictionary_acronyms(data_dir: Path) -> set[str]:
    """The acronyms in the data dictionaries: each dataset's and field's title and description."""
    package = yaml.safe_load((data_dir / "schemas" / "datapackage.yaml").read_text())
    texts = []
    for resource in package["resources"]:
        texts += [resource.get("title", ""), resource.get("description", "")]
        schema = json.loads((data_dir / resource["schema"]).read_text())
        texts += [f.get(k, "") for f in schema["fields"] for k in ("title", "description")]
    return {a for text in texts for a in ACRONYM.findall(text)}


def test_the_acronym_finder_finds_acronyms():
    html = "<title>The QQX board - ICS Atlas</title><h2 id='x'>ICBs and <abbr>LSOA</abbr> E54</h2>"
    assert acronyms(html) == {"QQX", "ICS", "ICB", "LSOA"}


def test_the_glossary_defines_every_acronym_in_titles_headings_and_dictionaries(real_site):
    defined = {t.abbreviation for t in CATALOG.glossary if t.abbreviation}
    used: dict[str, str] = {}
    for page in sorted(real_site.rglob("*.html")):
        # The changelog's headings are the messages of data commits, written by contributors.
        if "changelog" not in page.parts:
            for found in acronyms(page.read_text(encoding="utf-8")):
                used.setdefault(found, str(page.relative_to(real_site)))
    for found in dictionary_acronyms(REAL_DATA):
        used.setdefault(found, "data dictionary")
    assert {"ICS", "ICB", "ONS", "ODS"} <= set(used)
    assert {a: where for a, where in used.items() if a not in defined} == {}


def test_the_glossary_has_the_terms_the_public_asks_about(real_site):
    html = read(real_site, "glossary")
    for term in ["ICS", "ICB", "ICP", "STP", "PCN", "CCG", "ODS", "ONS", "LSOA"]:
        assert f"<strong>{term}</strong>" in html, term
    for name in ["Vanguard", "Place", "Provider collaborative", "Devolution deal", "Cluster"]:
        assert f"<strong>{name}</strong>" in html, name
    for name in ["ODS code", "ONS code", "Catchment"]:
        assert f"<strong>{name}</strong>" in html, name


def test_every_glossary_link_leads_to_a_page_and_anchor(real_site):
    assert len(CATALOG.glossary) > 30
    for term in CATALOG.glossary:
        path, _, anchor = term.link.partition("#")
        page = real_site / path / "index.html"
        assert page.is_file(), term.id
        if anchor:
            assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), term.id


def test_acronyms_are_explained_where_they_appear(real_site):
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="Integrated care system: [^"]+">ICSs?</abbr>', home)
    for page in ("index.html", "data/index.html", "about/index.html", "understand/index.html"):
        text = (real_site / page).read_text(encoding="utf-8")
        assert "*[" not in text and "-8&lt;-" not in text, page


def test_abbreviations_are_one_line_each_with_their_plural():
    term = Term(
        "x",
        "Bad term",
        "BAD",
        'Two\nlines | a table <script>alert(1)</script> *[X]: "q"',
        "x/",
        None,
    )
    found = abbreviations((term,))
    assert set(found) == {"BAD", "BADs"}
    assert found["BAD"] == found["BADs"]
    assert found["BAD"].startswith("Bad term: Two lines | a table") and "\n" not in found["BAD"]


def _errors(data: Path) -> list[tuple[str, int, str, str]]:
    return [(Path(e.path).name, e.line, e.field, e.code) for e in check_data(load_data(data))]


def test_a_figure_needs_a_date_and_a_source(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "national_figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "vanguards,New care model vanguard sites,50,count,,,nowhere,"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _errors(data) == [
        ("national_figures.csv", 2, "period", "required"),
        ("national_figures.csv", 2, "source_id", "foreign-key"),
    ]


def test_a_glossary_link_must_be_a_site_path(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "glossary.csv"
    text = path.read_text(encoding="utf-8").replace(",understand/,", ",javascript:alert(1),", 1)
    path.write_text(text, encoding="utf-8")
    assert _errors(data) == [("glossary.csv", 2, "link", "pattern")]


@pytest.mark.parametrize("name", ["national_figures", "glossary"])
def test_the_new_datasets_are_published_with_a_dictionary(real_site, name):
    assert (real_site / "data" / f"{name}.csv").is_file()
    html = read(real_site, "data")
    assert f'id="{name.replace("_", "-")}"' in html
    package = json.loads((real_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert name.replace("_", "-") in [r["name"] for r in package["resources"]]
