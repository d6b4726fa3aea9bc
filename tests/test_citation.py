"""Citing the data: boxes on pages, CITATION.cff, alternate links and the changelog."""

import re

import yaml

from generator.build import validate
from tests.conftest import REAL_DATA, ROOT

CATALOG = validate(REAL_DATA)


def test_citation_cff_is_valid_yaml_with_the_release_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == str(CATALOG.meta["version"])
    assert cff["license"] == "OGL-UK-3.0"


def test_system_case_study_and_data_pages_have_cite_boxes(real_site):
    for path in [
        "systems/frimley/index.html",
        "case-studies/one-bromley/index.html",
        "data/index.html",
    ]:
        html = (real_site / path).read_text(encoding="utf-8")
        assert 'class="atlas-cite-apa"' in html, path
        assert "@misc{icsatlas-" in html, path
        assert f"version {CATALOG.meta['version']}" in html
    data = (real_site / "data" / "index.html").read_text(encoding="utf-8")
    assert data.count('class="atlas-cite-apa"') == len(CATALOG.tables)


def test_system_pages_link_their_json_and_csv(real_site):
    html = (real_site / "systems" / "frimley" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', html)
    assert links == [
        ("application/json", "../../api/systems/frimley.json"),
        ("text/csv", "../../api/systems/frimley.csv"),
    ]
    for _, href in links:
        assert (real_site / "systems" / "frimley" / href).resolve().is_file()


def test_changelog_lists_dated_changes_from_git(real_site):
    html = (real_site / "changelog" / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r"<h2 [^>]*>(\d{4}-\d{2}-\d{2}): ", html)
    assert len(entries) >= 3
    assert entries == sorted(entries, reverse=True)
    assert re.search(r'href="\.\./data/#systems">systems</a></th><td>\d+</td>', html)


def test_the_feed_is_well_formed_atom(real_site):
    from xml.etree import ElementTree

    root = ElementTree.parse(real_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    assert len(root.findall(f"{atom}entry")) >= 3


def test_the_release_version_is_in_the_footer_and_the_package(real_site):
    import json

    html = (real_site / "index.html").read_text(encoding="utf-8")
    version = str(CATALOG.meta["version"])
    assert f"version {version}, data as of {CATALOG.as_of}" in html
    package = json.loads((real_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == version


def test_the_changelog_reads_the_history_of_the_data_folder_given(tmp_path):
    import subprocess

    from generator.build import validate
    from generator.changelog import atom_feed, data_changes
    from tests.conftest import make_data

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    assert data_changes(validate(make_data(tmp_path / "data"))) == []  # not in git: none
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "First data")
    systems = tmp_path / "data" / "systems.csv"
    text = systems.read_text(encoding="utf-8")
    systems.write_text(text.replace("Integrated Care Board", "Integrated Care Board.", 1), "utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "Rename one")
    commits = data_changes(validate(tmp_path / "data"))
    assert [c.subject for c in commits] == ["Rename one", "First data"]
    assert [(c.dataset, c.added, c.changed) for c in commits[0].changes] == [("systems", 0, 1)]
    feed = atom_feed(commits, "Test", "2026-04-01").decode("utf-8")
    assert feed.index("Rename one") < feed.index("First data")  # newest first
