"""The finder's data and API: every English outward code, shares that add up, the right boards."""

import json

import pytest

from generator.build import validate
from generator.finder import districts
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)


def postcode(real_site, outward: str) -> dict:
    return json.loads((real_site / "api" / "postcodes" / f"{outward}.json").read_text())


def test_every_outward_code_in_the_data_has_a_document_whose_shares_add_up(real_site):
    outwards = {row.outward for row in CATALOG.postcode_sectors}
    files = {p.stem for p in (real_site / "api" / "postcodes").glob("*.json")}
    assert len(outwards) > 2000
    assert files == outwards
    for outward in sorted(outwards):
        document = postcode(real_site, outward)
        assert document["as_of"] == str(CATALOG.as_of)
        assert abs(sum(s["share"] for s in document["systems"]) - 1) < 0.001, outward
        shares = [s["share"] for s in document["systems"]]
        assert shares == sorted(shares, reverse=True), outward


@pytest.mark.parametrize(
    "outward,now,before",
    [
        ("SE1", "south-east-london", "south-east-london"),
        ("SL1", "thames-valley", "frimley"),
        ("TR1", "cornwall-and-the-isles-of-scilly", "cornwall-and-the-isles-of-scilly"),
        ("CT9", "kent-and-medway", "kent-and-medway"),
        ("GU15", "surrey-and-sussex", "frimley"),
        ("SK13", "derby-and-derbyshire", "derby-and-derbyshire"),
    ],
)
def test_spot_checks_against_the_councils_the_postcodes_lie_in(real_site, outward, now, before):
    document = postcode(real_site, outward)
    assert document["systems"][0]["id"] == now
    assert document["vintages"][-1]["systems"][0]["id"] == before
    assert CATALOG.systems[now].in_force(CATALOG.as_of)


def test_a_straddling_outward_code_lists_each_board_and_its_basis(real_site):
    document = postcode(real_site, "S80")
    ids = [s["id"] for s in document["systems"]]
    assert ids[:2] == ["nottingham-and-nottinghamshire", "derby-and-derbyshire"]
    assert "approximate" in document["basis"]


def test_district_pages_name_todays_board_and_the_one_before(real_site):
    slough = (real_site / "places" / "slough" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../systems/thames-valley/"' in slough
    assert 'href="../../systems/frimley/"' in slough and "ended" in slough


def test_every_district_has_a_page_and_a_board_in_force(real_site):
    found = districts(CATALOG)
    assert len(found) > 290
    for district in found:
        assert (real_site / "places" / district["slug"] / "index.html").is_file()
        assert district["systems"], district["name"]
        assert all(CATALOG.systems[s["id"]].in_force(CATALOG.as_of) for s in district["systems"])


def test_names_are_split_into_pieces_and_find_councils_and_codes(real_site):
    piece = json.loads((real_site / "api" / "find" / "names" / "s.json").read_text())
    slough = [e for e in piece if e["name"] == "Slough"]
    assert {e["kind"] for e in slough} == {"district", "council"}
    codes = json.loads((real_site / "api" / "find" / "names" / "e.json").read_text())
    assert any(e["code"] == "E06000039" for e in codes)
    pieces = list((real_site / "api" / "find" / "names").glob("*.json"))
    assert max(p.stat().st_size for p in pieces) < 200_000


def test_the_404_page_offers_the_finder_and_works_under_a_sub_path(tmp_path, monkeypatch):
    from generator.build import build_site
    from tests.conftest import make_data

    monkeypatch.setenv("ATLAS_SITE_URL", "https://example.org/atlas")
    build_site(make_data(tmp_path / "data"), tmp_path / "site")
    html = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert 'action="/atlas/find/"' in html and 'name="q"' in html
    assert 'href="/atlas/places/"' in html and 'href="/atlas/data/"' in html
    system = (tmp_path / "site" / "systems" / "frimley" / "index.html").read_text(encoding="utf-8")
    assert "page https://example.org/atlas/systems/frimley/" in system  # citations in full
