"""The finder's data and API: every English outward code, shares that add up, the right boards."""

import json

import pytest

from generator.build import validate
from generator.finder import districts, fold, piece_of
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


def names(real_site, name: str) -> list[dict]:
    """The entries of the finder's name index called ``name``, in the piece the page loads."""
    path = real_site / "api" / "find" / "names" / f"{piece_of(name)}.json"
    return [e for e in json.loads(path.read_text(encoding="utf-8")) if e["name"] == name]


def test_names_are_split_into_pieces_and_find_councils_and_codes(real_site):
    slough = names(real_site, "Slough")
    assert [e["kind"] for e in slough] == ["district", "council", "town"]
    codes = json.loads((real_site / "api" / "find" / "names" / "e0.json").read_text())
    assert any(e["code"] == "E06000039" for e in codes)
    pieces = list((real_site / "api" / "find" / "names").glob("*.json"))
    assert len(pieces) > 100
    assert max(p.stat().st_size for p in pieces) < 200_000


@pytest.mark.parametrize(
    "text,folded,piece",
    [
        ("Bishop's Stortford", "bishops stortford", "bi"),
        ("St. Stephens Place", "st stephens place", "st"),
        ("Westward Ho!", "westward ho", "we"),
        ("Ashby-de-la-Zouch", "ashby de la zouch", "as"),
        ("E06000039", "e06000039", "e0"),
    ],
)
def test_names_fold_as_the_page_folds_a_query(text, folded, piece):
    assert fold(text) == folded and piece_of(text) == piece


@pytest.mark.parametrize(
    "place,kind,district,board",
    [
        ("Margate", "town", "Thanet", "kent-and-medway"),
        ("Glossop", "town", "High Peak", "derby-and-derbyshire"),
        ("Worksop", "town", "Bassetlaw", "nottingham-and-nottinghamshire"),
        ("Truro", "city", "Cornwall", "cornwall-and-the-isles-of-scilly"),
        ("Camberley", "town", "Surrey Heath", "surrey-and-sussex"),
    ],
)
def test_a_town_resolves_to_its_districts_board_in_force(real_site, place, kind, district, board):
    (entry,) = names(real_site, place)
    assert (entry["kind"], entry["district"]) == (kind, district)
    assert [s["id"] for s in entry["systems"]] == [board]
    assert CATALOG.systems[board].in_force(CATALOG.as_of)
    (same,) = [d for d in districts(CATALOG) if d["name"] == district]
    assert entry["systems"] == same["systems"] and entry["url"] == f"places/{same['slug']}/"


def test_a_towns_history_is_its_districts(real_site):
    histories = json.loads((real_site / "api" / "find" / "districts.json").read_text())
    (camberley,) = names(real_site, "Camberley")
    vintages = histories[camberley["lad"]]["vintages"]
    assert [v["from"] for v in vintages] == ["2026-04-01", "2022-07-01"]
    assert [s["id"] for s in vintages[1]["systems"]] == ["frimley", "surrey-heartlands"]
    assert not CATALOG.systems["frimley"].in_force(CATALOG.as_of)


def test_a_name_in_two_districts_gives_both_the_largest_first(real_site):
    guildford = names(real_site, "Guildford")
    assert [(e["kind"], e.get("district")) for e in guildford] == [
        ("district", None),
        ("town", "Guildford"),
        ("suburb", "Cornwall"),
    ]
    assert guildford[2]["systems"][0]["id"] == "cornwall-and-the-isles-of-scilly"


def test_every_place_is_in_the_index_with_a_board_in_force(real_site):
    assert len(CATALOG.place_names) > 30_000
    found = {}
    for path in (real_site / "api" / "find" / "names").glob("*.json"):
        for e in json.loads(path.read_text(encoding="utf-8")):
            if "district" in e:
                found[e["name"], e["lad"]] = e
    assert set(found) == {(p.name, p.lad_code) for p in CATALOG.place_names}
    assert all(
        e["systems"] and all(CATALOG.systems[s["id"]].in_force(CATALOG.as_of) for s in e["systems"])
        for e in found.values()
    )


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
