"""The crosswalk from the boards of April 2023 to those of April 2026: rebuilt from the official
figures, complete, adding up, checked by the validator and shown on the system pages."""

import datetime as dt
from collections import defaultdict

import pytest

from generator.build import validate
from generator.crosswalks import COLUMNS, read_rows, rebuild, short_code
from generator.load import load_data
from generator.validate import check_data
from tests.conftest import FIXTURES, REAL_DATA, make_data
from tests.test_validate import edit

CATALOG = validate(REAL_DATA)
OFFICIAL = FIXTURES / "official"
LAST_DAY = dt.date(2026, 3, 31)


def outgoing() -> dict[str, list]:
    found = defaultdict(list)
    for c in CATALOG.crosswalks:
        found[c.from_system_id].append(c)
    return found


def test_the_table_is_what_the_official_figures_give():
    rows = [{k: str(v) for k, v in r.items()} for r in rebuild(OFFICIAL, REAL_DATA)]
    assert rows == read_rows(REAL_DATA / "crosswalks.csv")
    assert list(rows[0]) == list(COLUMNS)


@pytest.mark.parametrize("board", sorted(outgoing()))
def test_the_shares_of_each_board_add_up_to_one(board):
    rows = outgoing()[board]
    assert abs(sum(c.share for c in rows) - 1) <= 0.001
    assert sum(c.population for c in rows) == CATALOG.systems[board].population


def test_every_board_of_2023_is_a_from_and_every_board_of_2026_a_to():
    boards_2023 = {s.id for s in CATALOG.in_force_on(LAST_DAY, ("icb",))}
    abolished = {s.id for s in CATALOG.systems.values() if s.valid_to == LAST_DAY}
    assert len(abolished) == 13 and abolished <= boards_2023
    assert set(outgoing()) == boards_2023
    assert {c.to_system_id for c in CATALOG.crosswalks} == {
        s.id for s in CATALOG.current_systems() if s.kind == "icb"
    }


def test_each_new_board_receives_its_own_population():
    incoming = defaultdict(int)
    for c in CATALOG.crosswalks:
        incoming[c.to_system_id] += c.population
    new = [s for s in CATALOG.current_systems() if s.valid_from > LAST_DAY]
    assert len(new) == 7
    for board in new:
        assert incoming[board.id] == board.population, board.id


def test_frimley_splits_by_the_ons_district_figures():
    people = {r["LAD_CODE"]: int(r["POPULATION"]) for r in _official("mye_mid2022_lad.csv")}
    sape = {
        short_code(r["SICBL23NM"]): int(r["Total"]) for r in _official("sape24_mid2022_sicbl23.csv")
    }
    split = {c.to_system_id: c.population for c in outgoing()["frimley"]}
    assert split == {
        "thames-valley": 440_801,
        "hampshire-and-isle-of-wight": 176_659,
        "surrey-and-sussex": 156_021,
    }
    assert sape["D4U1Y"] == 773_481 == sum(split.values())
    # Thames Valley: Bracknell Forest, Slough, and Windsor and Maidenhead
    assert split["thames-valley"] == sum(people[d] for d in ("E06000036", "E06000039", "E06000040"))
    # Hampshire and Isle of Wight: its districts of 2026 less its Sub-ICB Locations of 2023
    hiow = CATALOG.systems["hampshire-and-isle-of-wight"].population
    assert split["hampshire-and-isle-of-wight"] == hiow - sape["D9Y0V"] - sape["10R"]
    # Surrey and Sussex: the rest, which is also its districts less its Sub-ICB Locations
    rest = CATALOG.systems["surrey-and-sussex"].population - sum(
        sape[c] for c in ("92A", "09D", "97R", "70F")
    )
    assert split["surrey-and-sussex"] == rest


def _official(name):
    return read_rows(OFFICIAL / name)


def test_a_bad_share_is_named_by_file_line_and_field(tmp_path):
    data = make_data(tmp_path / "data")
    edit(data, "crosswalks.csv", "617460,0.798287", "617460,0.698287")
    errors = check_data(load_data(data))
    assert [(e.path.split("/")[-1], e.line, e.field, e.code) for e in errors] == [
        ("crosswalks.csv", 2, "share", "share")
    ]


def test_shares_that_do_not_add_up_are_refused(tmp_path):
    """Each share within the tolerance of its own, but the two together too far from 1."""
    data = make_data(tmp_path / "data")
    edit(data, "crosswalks.csv", "0.798287", "0.799000")
    edit(data, "crosswalks.csv", "0.201713", "0.202700")
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(3, "share", "share-sum")]


def test_an_unknown_board_is_named_by_file_line_and_field(tmp_path):
    data = make_data(tmp_path / "data")
    edit(data, "crosswalks.csv", "2023-04,sussex", "2023-04,nowhere")
    errors = check_data(load_data(data))
    assert [(e.path.split("/")[-1], e.line, e.field, e.code) for e in errors] == [
        ("crosswalks.csv", 3, "to_system_id", "foreign-key")
    ]


def test_a_board_not_in_force_on_the_day_is_refused(tmp_path):
    data = make_data(tmp_path / "data")
    edit(data, "crosswalks.csv", "2022-07,frimley,2023-04,sussex", "2022-07,frimley,2022-04,sussex")
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [
        (3, "from_system_id", "date-range"),
        (3, "to_system_id", "date-range"),
    ]


def test_a_system_page_shows_where_its_area_went_and_came_from(real_site):
    systems = real_site / "systems"
    frimley = (systems / "frimley" / "index.html").read_text()
    assert "Where this area went" in frimley
    assert "57% (440,801 people)" in frimley and 'href="../thames-valley/"' in frimley
    assert "23% (176,659 people)" in frimley and "20% (156,021 people)" in frimley
    valley = (systems / "thames-valley" / "index.html").read_text()
    assert "Where this area came from" in valley and "100% (1,802,735 people)" in valley
    # a board whose area did not change has neither table
    manchester = (systems / "greater-manchester" / "index.html").read_text()
    assert "Where this area went" not in manchester and "came from" not in manchester


def test_the_worked_example_in_the_methodology_uses_the_data():
    text = " ".join((REAL_DATA.parent / "docs" / "methodology.md").read_text().split())
    share = next(c for c in outgoing()["frimley"] if c.to_system_id == "thames-valley").share
    bob = CATALOG.systems["buckinghamshire-oxfordshire-and-berkshire-west"].population
    frimley = CATALOG.systems["frimley"].population
    valley = CATALOG.systems["thames-valley"].population
    assert round(bob + share * frimley) == valley
    assert f"{bob:,} + {share:.6f} × {frimley:,} = {valley:,}" in text
