"""The real data built by the real MkDocs: pages, maps, sources, search and determinism."""

import hashlib
import re
from html.parser import HTMLParser

import pytest

from generator.build import build_site, validate
from tests.conftest import REAL_DATA, search_records

CATALOG = validate(REAL_DATA)
ICBS = [s for s in CATALOG.systems.values() if s.kind == "icb"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])


def links(path):
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_home_and_one_page_per_system(real_site):
    assert (real_site / "index.html").is_file()
    pages = sorted(p.parent.name for p in (real_site / "systems").glob("*/index.html"))
    # one page per system, and a redirect page at each id a system had before
    assert pages == sorted([*CATALOG.systems, *CATALOG.redirects()])
    assert len(pages) >= 42


@pytest.mark.parametrize("system", ICBS, ids=lambda s: s.id)
def test_system_page_has_code_map_and_source(real_site, system):
    html = (real_site / "systems" / system.id / "index.html").read_text(encoding="utf-8")
    assert f"<code>{system.ods_code}</code>" in html
    assert '<iframe src="map.html"' in html
    assert (real_site / "systems" / system.id / "map.html").is_file()
    hrefs = links(real_site / "systems" / system.id / "index.html").hrefs
    assert all(source.url in hrefs for source in CATALOG.sources_for(system.source_id))


def test_home_map_shows_every_system_in_force(real_site):
    current = CATALOG.current_systems()
    html = (real_site / "maps" / "england.html").read_text(encoding="utf-8")
    features = re.findall(r'"href": "\.\./systems/([a-z0-9-]+)/"', html)
    assert sorted(features) == sorted(s.id for s in current)
    assert len(features) == len(current) >= 30


def test_home_text_alternative_lists_the_same_systems(real_site):
    html = (real_site / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="systems-in-force"') :]
    table = table[: table.index("</table>")]
    linked = re.findall(r'href="systems/([a-z0-9-]+)/"', table)
    assert sorted(linked) == sorted(s.id for s in CATALOG.current_systems())
    assert len(linked) == len(CATALOG.current_systems()) >= 30


def test_nav_stays_short(real_site):
    html = (real_site / "systems" / ICBS[0].id / "index.html").read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary')
    nav = html[start : html.index("md-nav--secondary", start)]
    assert 10 <= nav.count('class="md-nav__link') < 25


def test_search_index_holds_names_short_names_and_codes(real_site):
    records = search_records(real_site)
    for system in ICBS:
        record = records[f"/systems/{system.id}/"]
        assert record["meta"]["title"] == system.short_name
        assert system.ods_code in record["content"]
        assert system.name in record["content"]


def test_search_indexes_pages_only(real_site):
    urls = set(search_records(real_site))
    pages = {
        "/" + str(p.parent.relative_to(real_site)).replace(".", "").strip("/") + "/"
        for p in real_site.rglob("index.html")
    }
    assert urls <= {u.replace("//", "/") for u in pages}
    assert len(urls) >= len(pages) - 5  # every page but the redirects of renamed systems
    assert not [u for u in urls if u.endswith(".html")], "maps are not pages to find"


def test_no_page_loads_anything_from_another_host(real_site):
    for path in real_site.rglob("*.html"):
        for src in links(path).srcs:
            assert not re.match(r"^(https?:)?//", src), f"{path}: {src}"
    for path in list(real_site.rglob("*.css")) + list(real_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        assert not re.search(r'<link[^>]+href="(https?:)?//', text), path
        assert not re.search(r"@import\s+url\((['\"])?(https?:)?//", text), path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path


def digest(folder):
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def test_two_builds_are_byte_identical(real_site, tmp_path):
    build_site(REAL_DATA, tmp_path / "again")
    assert digest(tmp_path / "again") == digest(real_site)


def test_build_into_a_new_folder_replaces_an_old_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.html").write_text("old")
    build_site(REAL_DATA, out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()


def internal_targets(site):
    """Every internal href and src in the site, as (page, link, file it should reach)."""
    for page in site.rglob("*.html"):
        parser = links(page)
        for link in parser.hrefs + parser.srcs:
            if re.match(r"^([a-z]+:|//|#)", link):
                continue
            path = link.split("#")[0].split("?")[0]
            if not path:
                continue
            target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            if path.endswith("/"):
                target = target / "index.html"
            yield page, link, target


def test_no_broken_internal_links(real_site):
    checked = list(internal_targets(real_site))
    assert len(checked) > 1000
    broken = [
        (str(page.relative_to(real_site)), link)
        for page, link, target in checked
        if not target.resolve().exists()
    ]
    assert broken == []


def test_systems_index_links_the_42_boards_of_2022(real_site):
    html = (real_site / "systems" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="icbs-2022-table"') :]
    table = table[: table.index("</table>")]
    assert len(re.findall(r'<th scope="row"><a href="\.\./systems/[a-z0-9-]+/">', table)) == 42


def test_a_template_error_names_the_template_and_line(tmp_path, monkeypatch):
    import shutil

    from generator import render
    from generator.errors import BuildError

    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, templates)
    page = templates / "system.md.j2"
    lines = page.read_text().splitlines()
    lines.insert(20, "{{ system.no_such_field }}")
    page.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(render, "TEMPLATES", templates)
    with pytest.raises(BuildError, match=r"site_templates/system\.md\.j2:21: .*no_such_field"):
        build_site(REAL_DATA, tmp_path / "site")
    assert not (tmp_path / "site").exists()
