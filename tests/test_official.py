"""Audits against reduced official copies in tests/fixtures/official (see its README)."""

import csv
import datetime as dt
from collections import defaultdict

from generator.build import validate
from tests.conftest import FIXTURES, REAL_DATA

CATALOG = validate(REAL_DATA)
OFFICIAL = FIXTURES / "official"


def rows(name):
    with (OFFICIAL / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_boards_of_april_2026_match_the_ons_lookup():
    official = {r["ICB26CDH"]: r for r in rows("sicbl26_icb26_nhser26.csv")}
    boards = [s for s in CATALOG.current_systems() if s.kind == "icb"]
    assert len(boards) == len(official) == 36
    for board in boards:
        row = official[board.ods_code]
        assert (board.ons_code, board.name) == (row["ICB26CD"], row["ICB26NM"]), board.id
        region = CATALOG.code_on("region", board.region_id, "ons", CATALOG.as_of)
        assert region == row["NHSER26CD"], board.id


def test_region_codes_of_2023_and_2026_match_ons():
    for name, column, day in (
        ("sape24_mid2022_sicbl23.csv", "NHSER23", "2023-04-01"),
        ("sicbl26_icb26_nhser26.csv", "NHSER26", "2026-04-01"),
    ):
        codes = {r[column + "NM"]: r[column + "CD"] for r in rows(name)}
        assert len(codes) == 7
        for region in CATALOG.regions.values():
            found = CATALOG.code_on("region", region.id, "ons", _day(day))
            assert found == codes[region.name], (region.id, day)


def test_populations_are_the_ons_sums_of_sub_icb_locations():
    people = {r["SICBL23CD"]: int(r["Total"]) for r in rows("sape24_mid2022_sicbl23.csv")}
    by_board = defaultdict(int)
    for r in rows("sape24_mid2022_sicbl23.csv"):
        by_board[r["ICB23CD"]] += int(r["Total"])
    for board in (s for s in CATALOG.systems.values() if s.kind == "icb" and s.population):
        if board.valid_from.year == 2022:
            code = CATALOG.code_on("system", board.id, "ons", _day("2023-04-01"))
            assert board.population == by_board[code], board.id
    # the derived boards of 2026: their Sub-ICB Locations, unchanged since 2023, summed
    sums = defaultdict(int)
    for r in rows("sicbl26_icb26_nhser26.csv"):
        sums[r["ICB26CDH"]] += people.get(r["SICBL26CD"], 0)
    summed_from_districts = {"hampshire-and-isle-of-wight", "surrey-and-sussex", "thames-valley"}
    for board in CATALOG.current_systems():
        if board.valid_from.year == 2026 and board.id not in summed_from_districts:
            assert board.population == sums[board.ods_code], board.id


def test_boards_that_took_frimley_are_the_ons_sums_of_their_districts():
    """Frimley's Sub-ICB Location was divided in 2026, so these three are district sums."""
    people = {r["LAD_CODE"]: int(r["POPULATION"]) for r in rows("mye_mid2022_lad.csv")}
    sape = {r["SICBL23NM"][-3:]: int(r["Total"]) for r in rows("sape24_mid2022_sicbl23.csv")}
    # the same edition as SAPE24: a Sub-ICB Location that is one district has its figure
    assert people["E06000043"] == sape["09D"]  # Brighton and Hove
    assert people["E06000044"] == sape["10R"]  # Portsmouth
    board_of = {}  # each district's board in April 2026: the one with most of its postcodes
    for d in sorted(CATALOG.district_boards, key=lambda d: d.share):
        if d.vintage == "2026-04":
            board_of[d.lad_code] = d.ons_code
    systems = CATALOG.systems

    def districts_of(board: str) -> int:
        return sum(people[lad] for lad, code in board_of.items() if code == board)

    assert systems["hampshire-and-isle-of-wight"].population == districts_of("E54000067")
    assert systems["surrey-and-sussex"].population == districts_of("E54000069")
    east_berkshire = people["E06000036"] + people["E06000039"] + people["E06000040"]
    bob = systems["buckinghamshire-oxfordshire-and-berkshire-west"].population
    assert systems["thames-valley"].population == bob + east_berkshire


def test_sussex_places_are_the_ons_sub_icb_figures():
    people = {r["SICBL23NM"][-3:]: int(r["Total"]) for r in rows("sape24_mid2022_sicbl23.csv")}
    places = {p.id: p.population for p in CATALOG.places if p.system_id == "sussex"}
    assert places == {
        "sussex-brighton-and-hove": people["09D"],
        "sussex-east-sussex": people["97R"],
        "sussex-west-sussex": people["70F"],
    }
    assert sum(places.values()) <= CATALOG.systems["sussex"].population


def _day(text):
    return dt.date.fromisoformat(text)
