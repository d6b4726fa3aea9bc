"""The crosswalks between vintages (CCGs and partnerships of 2021/22 to the boards of July 2022,
those to the boards of April 2023, and these to the boards of April 2026): rebuilt from the
official figures, complete, adding up, checked by the validator and shown on the system pages."""

import datetime as dt
import json
import re
import shutil
from collections import defaultdict

import openpyxl
import pytest

from generator.build import validate
from generator.crosswalks import COLUMNS, read_rows, rebuild, short_code
from generator.crosswalks import main as crosswalks_main
from generator.crosswalks_2022 import SAPE_SHEETS, reduce_workbook
from generator.load import load_data
from generator.validate import check_data
from tests.conftest import FIXTURES, REAL_DATA, make_data
from tests.test_validate import edit

CATALOG = validate(REAL_DATA)
OFFICIAL = FIXTURES / "official"
LAST_DAY = dt.date(2026, 3, 31)
LAST_CCG_DAY, FIRST_ICB_DAY = dt.date(2022, 6, 30), dt.date(2022, 7, 1)


def outgoing(vintage: str = "2023-04") -> dict[str, list]:
    """The rows from each system or CCG of ``vintage``."""
    found = defaultdict(list)
    for c in CATALOG.crosswalks:
        if c.from_vintage == vintage:
            found[c.from_system_id or c.from_organisation_id].append(c)
    return found


def incoming(vintage: str, from_ccgs: bool = False) -> dict[str, int]:
    """The residents each board of ``vintage`` took from the systems (or the CCGs) before."""
    found = defaultdict(int)
    for c in CATALOG.crosswalks:
        if c.to_vintage == vintage and bool(c.from_organisation_id) == from_ccgs:
            found[c.to_system_id] += c.population
    return found


def test_the_table_is_what_the_official_figures_give():
    rows = [{k: str(v) for k, v in r.items()} for r in rebuild(OFFICIAL, REAL_DATA)]
    assert rows == read_rows(REAL_DATA / "crosswalks.csv")
    assert list(rows[0]) == list(COLUMNS)


FROMS = [(v, f) for v in ("2021-04", "2022-07", "2023-04") for f in sorted(outgoing(v))]


@pytest.mark.parametrize(("vintage", "area"), FROMS)
def test_the_shares_of_each_area_add_up_to_one(vintage, area):
    rows = outgoing(vintage)[area]
    assert abs(sum(c.share for c in rows) - 1) <= 0.001
    assert len({c.to_vintage for c in rows}) == 1


def test_the_boards_of_2023_lose_no_one():
    for board, rows in outgoing("2023-04").items():
        assert sum(c.population for c in rows) == CATALOG.systems[board].population, board


def test_every_board_of_2023_is_a_from_and_every_board_of_2026_a_to():
    boards_2023 = {s.id for s in CATALOG.in_force_on(LAST_DAY, ("icb",))}
    abolished = {s.id for s in CATALOG.systems.values() if s.valid_to == LAST_DAY}
    assert len(abolished) == 13 and abolished <= boards_2023
    assert set(outgoing()) == boards_2023
    assert set(incoming("2026-04")) == {s.id for s in CATALOG.current_systems() if s.kind == "icb"}


def test_each_new_board_receives_its_own_population():
    new = [s for s in CATALOG.current_systems() if s.valid_from > LAST_DAY]
    assert len(new) == 7
    for board in new:
        assert incoming("2026-04")[board.id] == board.population, board.id


def test_every_ccg_and_partnership_of_june_2022_is_a_from_and_every_board_of_july_a_to():
    ccgs = {
        o.id
        for o in CATALOG.organisations.values()
        if o.type == "ccg" and o.valid_to == LAST_CCG_DAY
    }
    partnerships = {s.id for s in CATALOG.in_force_on(LAST_CCG_DAY, ("stp", "ics"))}
    boards = {s.id for s in CATALOG.in_force_on(FIRST_ICB_DAY, ("icb",))}
    assert (len(ccgs), len(partnerships), len(boards)) == (106, 42, 42)
    froms = outgoing("2021-04")
    assert {f for f in froms if f in CATALOG.organisations} == ccgs
    assert {f for f in froms if f in CATALOG.systems} == partnerships
    assert set(incoming("2022-07")) == boards == set(outgoing("2022-07"))


def test_ccgs_and_partnerships_count_the_same_people_as_the_sub_icb_locations():
    """57,106,398 in England, mid-2022, whichever boundaries they are counted on."""
    sape = sum(int(r["Total"]) for r in _official("sape24_mid2022_sicbl23.csv"))
    ccg_rows = [c for c in CATALOG.crosswalks if c.from_organisation_id]
    partnership_rows = [c for c in CATALOG.crosswalks if c.from_vintage == "2021-04"]
    assert sape == 57_106_398
    assert sum(c.population for c in ccg_rows) == sape
    assert sum(c.population for c in partnership_rows) == 2 * sape
    assert sum(incoming("2023-04").values()) == sape


def test_each_board_of_july_2022_receives_its_population_on_the_boundaries_of_then():
    """systems.csv gives each board's residents on the boundaries of April 2023 (as ONS does);
    only Surrey Heartlands and Sussex differ from July 2022, by the four areas that moved."""
    moved = {
        (c.from_system_id, c.to_system_id): c.population
        for c in CATALOG.crosswalks
        if c.from_vintage == "2022-07" and c.from_system_id != c.to_system_id
    }
    assert moved == {("surrey-heartlands", "sussex"): 6_844}
    from_ccgs, from_partnerships = incoming("2022-07", from_ccgs=True), incoming("2022-07")
    assert from_ccgs == from_partnerships
    for board, people in from_ccgs.items():
        then = CATALOG.systems[board].population
        then += moved.get((board, "sussex"), 0) - moved.get(("surrey-heartlands", board), 0)
        assert people == then, board


def test_the_areas_that_moved_in_july_2022_are_the_ons_differences():
    def parts(ccg):
        return {c.to_system_id: c.population for c in outgoing("2021-04")[ccg]}

    assert parts("nhs-tameside-and-glossop-ccg") == {
        "greater-manchester": 232_753,
        "derby-and-derbyshire": 33_463,
    }
    assert parts("nhs-black-country-and-west-birmingham-ccg") == {
        "black-country": 1_222_935,
        "birmingham-and-solihull": 175_900,
    }
    assert parts("nhs-cambridgeshire-and-peterborough-ccg") == {
        "cambridgeshire-and-peterborough": 927_342,
        "northamptonshire": 17_175,
    }
    assert parts("nhs-bassetlaw-ccg") == {"nottingham-and-nottinghamshire": 120_012}
    assert {c.to_system_id: c.population for c in outgoing("2021-04")["south-yorkshire-ics"]} == {
        "south-yorkshire": 1_392_105,
        "nottingham-and-nottinghamshire": 120_012,
    }


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


def test_the_reduction_reads_the_ons_workbook_sheets(tmp_path):
    """``make crosswalks WORKBOOK=`` writes the reduced sheets kept with the tests: here from a
    workbook laid out as ONS's is (title lines, then the header, then the rows)."""
    book = openpyxl.Workbook()
    for name, (sheet, columns) in SAPE_SHEETS.items():
        page = book.create_sheet(sheet)
        page.append(["Estimates by single year of age and sex"])
        page.append(list(columns) + ["F0"])
        for row in _official(name)[:3]:
            page.append([int(v) if v.isdigit() else v for v in row.values()] + [1])
    book.save(tmp_path / "sape.xlsx")
    written = reduce_workbook(tmp_path / "sape.xlsx", tmp_path)
    for path in written:
        kept = (OFFICIAL / path.name).read_text().splitlines()
        assert path.read_text().splitlines() == kept[:4]
    assert sorted(p.name for p in written) == sorted(SAPE_SHEETS)


@pytest.mark.parametrize(
    ("given", "message"),
    [(",frimley,nhs-kent-ccg,", "not both"), (",,,", "or a from_organisation_id")],
)
def test_a_row_needs_one_from(tmp_path, given, message):
    data = make_data(tmp_path / "data")
    edit(data, "crosswalks.csv", "2022-07,frimley,,2023-04,sussex", f"2022-07{given}2023-04,sussex")
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors if e.code == "from"] == [
        (3, "from_system_id", "from")
    ]
    assert message in next(e.message for e in errors if e.code == "from")


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
    edit(
        data, "crosswalks.csv", "2022-07,frimley,,2023-04,sussex", "2022-07,frimley,,2022-04,sussex"
    )
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
    # a board whose area did not change has neither table, only the CCG it replaced
    kent = (systems / "kent-and-medway" / "index.html").read_text()
    assert "Where this area went" not in kent and "came from" not in kent
    assert "by former clinical commissioning group" in kent
    assert "NHS Kent and Medway CCG</a></th><td>100% (1,875,893 people)" in kent
    # a partnership divided in July 2022, and the board that took the part
    manchester = (systems / "greater-manchester-ics" / "index.html").read_text()
    assert "Where this area went" in manchester and "1% (33,463 people)" in manchester
    derby = (systems / "derby-and-derbyshire" / "index.html").read_text()
    assert "NHS Tameside and Glossop CCG</a></th><td>13% (33,463 people)" in derby


def test_the_worked_example_in_the_methodology_uses_the_data():
    text = " ".join((REAL_DATA.parent / "docs" / "methodology.md").read_text().split())
    share = next(c for c in outgoing()["frimley"] if c.to_system_id == "thames-valley").share
    bob = CATALOG.systems["buckinghamshire-oxfordshire-and-berkshire-west"].population
    frimley = CATALOG.systems["frimley"].population
    valley = CATALOG.systems["thames-valley"].population
    assert round(bob + share * frimley) == valley
    assert f"{bob:,} + {share:.6f} × {frimley:,} = {valley:,}" in text


def test_the_worked_example_from_2022_to_2026_uses_the_data():
    """Chaining the steps: the boards of July 2022 re-based on Surrey and Sussex of 2026."""
    text = " ".join((REAL_DATA.parent / "docs" / "methodology.md").read_text().split())
    step = {
        (c.from_vintage, c.from_system_id, c.to_system_id): c
        for c in CATALOG.crosswalks
        if c.from_system_id
    }
    total = 0.0
    for board in ("surrey-heartlands", "sussex", "frimley"):
        people = sum(c.population for c in outgoing("2022-07")[board])
        for c in outgoing("2022-07")[board]:
            onward = step.get(("2023-04", c.to_system_id, "surrey-and-sussex"))
            total += people * c.share * (onward.share if onward else 0)
    assert round(total) == CATALOG.systems["surrey-and-sussex"].population == 2_935_561
    assert "1,065,363 + 1,714,177 + 0.201713 × 773,481 = 2,935,561" in text
    shares = {c.to_system_id: f"{c.share:.6f}" for c in outgoing("2022-07")["surrey-heartlands"]}
    assert f"{shares['surrey-heartlands']} to Surrey Heartlands and {shares['sussex']}" in text


def test_a_system_in_the_api_carries_its_crosswalk_rows_and_their_sources(real_site):
    frimley = json.loads((real_site / "api" / "systems" / "frimley.json").read_text())
    onward = {c["to_system_id"]: c["population"] for c in frimley["crosswalks"]["from"]}
    assert onward == {
        "frimley": 773_481,  # July 2022 to April 2023: unchanged
        "thames-valley": 440_801,
        "hampshire-and-isle-of-wight": 176_659,
        "surrey-and-sussex": 156_021,
    }
    assert [c["from_organisation_id"] for c in frimley["crosswalks"]["to"]] == [
        "nhs-frimley-ccg",
        None,  # from the partnership, Frimley Health and Care ICS
        None,  # from itself, July 2022 to April 2023
    ]
    cited = {s["id"] for s in frimley["sources"]}
    assert {"ons-mid2022-crosswalk-icb23-icb26", "ons-mid2022-crosswalk-ccg21-icb22"} <= cited


def test_figures_that_do_not_add_up_stop_the_rebuild_and_change_nothing(tmp_path, capsys):
    """Glossop's part must be what Derby and Derbyshire gained: one person off and the rebuild
    stops with a message, leaving crosswalks.csv as it was."""
    official, data = tmp_path / "official", tmp_path / "data"
    shutil.copytree(OFFICIAL, official)
    shutil.copytree(REAL_DATA, data)
    ccgs = official / "sape24_mid2022_ccg21.csv"
    ccgs.write_text(ccgs.read_text().replace(",266216\n", ",266217\n"))
    before = (data / "crosswalks.csv").read_bytes()
    with pytest.raises(SystemExit) as stopped:
        crosswalks_main(["--official", str(official), "--data", str(data)])
    assert "Glossop: 01Y lost 33464, which 15M did not gain" in str(stopped.value.code)
    assert (data / "crosswalks.csv").read_bytes() == before


def test_the_organisations_page_says_where_each_ccgs_residents_went(real_site):
    page = (real_site / "organisations" / "index.html").read_text()
    row = page[page.index('id="nhs-tameside-and-glossop-ccg"') :]
    row = row[: row.index("</tr>")]
    went = row[row.index("Its residents from July 2022") :]
    assert re.search(r"greater-manchester/\">Greater Manchester</a>.*87% \(232,753 people\)", went)
    assert re.search(r"derby-and-derbyshire/\">Derby and Derbyshire</a>.*13% \(33,463", went)
    assert page.count("Its residents from July 2022") == 106
