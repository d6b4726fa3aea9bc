"""The statutory boards on the history page: the boards first established, and the boards
either side of each change, as maps and as the lists and tables that say the same."""

import dataclasses
import datetime as dt
import re

import pytest

from generator.build import validate
from generator.history_maps import BOARD_COLOURS, board_maps
from generator.timeline import board_changes, first_boards
from tests.conftest import REAL_DATA
from tests.test_boundaries import map_settings

CATALOG = validate(REAL_DATA)
APRIL_2026 = dt.date(2026, 4, 1)
ROW = re.compile(r'<tr><th scope="row"><a href="\.\./systems/([^/"]+)/">.*?</tr>', re.S)


def boards(**dates) -> set[str]:
    """The ids of the boards whose valid_from or valid_to is the date given."""
    field, day = next(iter(dates.items()))
    return {s.id for s in CATALOG.systems.values() if s.kind == "icb" and getattr(s, field) == day}


ENDED = boards(valid_to=dt.date(2026, 3, 31))
BEGAN = boards(valid_from=APRIL_2026)


@pytest.fixture(scope="module")
def page(real_site) -> str:
    return (real_site / "history" / "index.html").read_text(encoding="utf-8")


def table(html: str, table_id: str) -> str:
    start = html.index(f'<table class="atlas-table" id="{table_id}">')
    return html[start : html.index("</table>", start)]


def rows(html: str, table_id: str) -> dict[str, str]:
    """Each row of a table by the id of the system it is about."""
    return {m.group(1): m.group(0) for m in ROW.finditer(table(html, table_id))}


def shaded(real_site, name: str) -> dict[str, set[str]]:
    """The ids of the systems a map draws, by colour."""
    html = (real_site / "history" / name).read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for area in map_settings(html)["areas"]:
        found.setdefault(area["colour"], set()).add(area["href"].split("/")[-2])
    return found


def test_the_data_has_the_changes_of_april_2026():
    assert (len(ENDED), len(BEGAN)) == (13, 7)
    assert "frimley" in ENDED and "thames-valley" in BEGAN


def test_the_first_boards_map_and_its_list_name_the_42_boards(real_site, page):
    first = first_boards(CATALOG)
    assert first.date == dt.date(2022, 7, 1) and len(first.systems) == 42
    assert 'src="boards-2022-07-01.html"' in page
    start = page.index('<ul class="atlas-board-list" id="boards-2022-07-01">')
    listed = re.findall(
        r'<li><a href="\.\./systems/([^/"]+)/">', page[start : page.index("</ul>", start)]
    )
    assert listed == [s.id for s in first.systems]
    drawn = shaded(real_site, "boards-2022-07-01.html")
    assert drawn == {BOARD_COLOURS["kept"]: set(listed)}


def test_the_before_and_after_maps_shade_the_boards_that_ended_and_began(real_site):
    before = shaded(real_site, "change-2026-04-01-before.html")
    after = shaded(real_site, "change-2026-04-01-after.html")
    assert before[BOARD_COLOURS["changed"]] == ENDED
    assert after[BOARD_COLOURS["changed"]] == BEGAN
    assert before[BOARD_COLOURS["kept"]] == after[BOARD_COLOURS["kept"]]
    assert len(before[BOARD_COLOURS["kept"]]) == 29


def test_the_maps_stand_side_by_side_with_their_text(page):
    pair = page[page.index('<div class="atlas-map-pair">') :]
    pair = pair[: pair.index("</div>")]
    assert re.findall(r'<iframe src="([^"]+)"', pair) == [
        "change-2026-04-01-before.html",
        "change-2026-04-01-after.html",
    ]
    assert "31 March 2026: 42 boards in force; the 13 that ended" in pair
    assert "1 April 2026: 36 boards in force; the 7 new boards" in pair


def test_the_page_names_the_13_boards_that_ended_and_the_7_new_ones(page):
    assert set(rows(page, "ended-2026-03-31")) == ENDED
    assert set(rows(page, "began-2026-04-01")) == BEGAN
    for system_id in ENDED | BEGAN:
        assert CATALOG.systems[system_id].short_name in page


def test_frimleys_row_names_its_three_successors_with_their_shares(page):
    frimley = rows(page, "ended-2026-03-31")["frimley"]
    found = re.findall(r'href="\.\./systems/([^/"]+)/">[^<]+</a>: (\d+)%', frimley)
    assert found == [
        ("thames-valley", "57"),
        ("hampshire-and-isle-of-wight", "23"),
        ("surrey-and-sussex", "20"),
    ]
    assert "440,801 people" in frimley


def test_each_new_board_names_what_it_replaced_with_shares_only_where_divided(page):
    began = rows(page, "began-2026-04-01")
    assert "Frimley</a>: 57%" in began["thames-valley"]
    assert (
        'href="../systems/buckinghamshire-oxfordshire-and-berkshire-west/"'
        in began["thames-valley"]
    )
    assert "%" not in began["west-and-north-london"]  # two boards, each joined whole
    assert "<code>QRL</code>" in began["hampshire-and-isle-of-wight"]  # same code, new area


def test_the_changes_come_from_the_systems_not_from_a_list():
    """Ending one more board a month later makes a second change, with its successor from
    successor_ids where no crosswalk counts the move."""
    board = CATALOG.systems["lancashire-and-south-cumbria"]
    ended = dataclasses.replace(
        board, valid_to=dt.date(2026, 4, 30), successor_ids=("cheshire-and-merseyside",)
    )
    catalog = dataclasses.replace(CATALOG, systems={**CATALOG.systems, board.id: ended})
    changes = board_changes(catalog)
    assert [c.date for c in changes] == [APRIL_2026, dt.date(2026, 5, 1)]
    last = changes[-1]
    assert [s.id for s in last.ended] == [board.id] and last.began == ()
    assert [(h.to.id, h.crosswalk, h.divided) for h in last.handovers] == [
        ("cheshire-and-merseyside", None, False)
    ]


def test_the_board_maps_are_the_same_every_time():
    first, second = board_maps(CATALOG, None), board_maps(CATALOG, None)
    assert first == second and len(first) == 3
