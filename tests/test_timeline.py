"""api/timeline.json: the systems in force from every date the structure changed."""

import dataclasses
import datetime as dt
import itertools
import json
import re

import pytest

from generator.build import validate
from generator.timeline import structure_on, structures, waves, write_timeline
from tests.conftest import REAL_DATA
from tests.test_boundaries import map_settings

CATALOG = validate(REAL_DATA)


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("api")
    write_timeline(CATALOG, folder)
    return json.loads((folder / "timeline.json").read_text(encoding="utf-8"))


def counts(document: dict) -> dict[str, int]:
    return {entry["date"]: len(entry["systems"]) for entry in document["dates"]}


@pytest.mark.parametrize(
    "date,count",
    [
        ("2020-05-01", 18),  # NHS England: four more, making 18
        ("2020-12-01", 29),  # eleven more, making 29
        ("2021-04-01", 42),  # the rest, covering England
        ("2022-07-01", 42),  # 42 boards established
        ("2026-04-01", 36),  # after the mergers of April 2026
    ],
)
def test_systems_from_each_date_match_the_published_counts(document, date, count):
    assert counts(document)[date] == count


def test_the_waves_end_in_the_counts_of_their_day(document):
    found = structures(CATALOG)
    after = [len(structure_on(found, wave.date).systems) for wave in waves(CATALOG)]
    assert after[-3:] == [18, 29, 42]
    assert after == [len(wave.in_force) for wave in waves(CATALOG)]


def test_partnerships_are_listed_apart_and_cover_england_with_the_systems(document):
    first = document["dates"][0]
    assert first["systems"] == [] and len(first["partnerships"]) == 44
    may_2020 = next(e for e in document["dates"] if e["date"] == "2020-05-01")
    assert len(may_2020["systems"]) + len(may_2020["partnerships"]) == 42
    kinds = document["details"]
    for entry in document["dates"]:
        assert {kinds[i]["kind"] for i in entry["systems"]} <= {"ics", "icb"}
        assert {kinds[i]["kind"] for i in entry["partnerships"]} <= {"stp"}


def test_dates_are_sorted_and_each_changes_the_structure(document):
    dates = [entry["date"] for entry in document["dates"]]
    assert len(dates) >= 9
    assert dates == sorted(set(dates))
    assert dates[0] == "2016-03-01" and dates[-1] == "2026-04-01"
    sets = [set(e["systems"]) | set(e["partnerships"]) for e in document["dates"]]
    assert all(a != b for a, b in itertools.pairwise(sets))


def test_every_id_is_a_system_in_force_on_its_date(document):
    for entry in document["dates"]:
        day = dt.date.fromisoformat(entry["date"])
        for system_id in entry["systems"] + entry["partnerships"]:
            assert CATALOG.systems[system_id].in_force(day), (entry["date"], system_id)
            assert document["details"][system_id]["short_name"]
    listed = {i for e in document["dates"] for i in e["systems"] + e["partnerships"]}
    assert listed == set(document["details"]) == set(CATALOG.systems)


def test_the_file_is_the_same_every_time(tmp_path):
    for name in ("a", "b"):
        write_timeline(CATALOG, tmp_path / name)
    first = (tmp_path / "a" / "timeline.json").read_bytes()
    assert first == (tmp_path / "b" / "timeline.json").read_bytes()
    assert first.endswith(b"\n") and b'"2026-04-01"' in first


def test_the_dates_come_from_the_systems_not_from_a_list():
    """Moving one board's end by a month adds the two dates it now changes the structure on."""
    board = CATALOG.systems["lancashire-and-south-cumbria"]
    ended = dataclasses.replace(board, valid_to=dt.date(2026, 4, 30))
    catalog = dataclasses.replace(CATALOG, systems={**CATALOG.systems, board.id: ended})
    dates = [s.date.isoformat() for s in structures(catalog)]
    assert dates[-1] == "2026-05-01"
    assert len(structures(catalog)[-1].systems) == 35


def test_the_site_publishes_the_timeline(real_site, document):
    published = json.loads((real_site / "api" / "timeline.json").read_text(encoding="utf-8"))
    assert published == document


def test_the_on_date_map_tags_every_area_and_first_shows_the_structure_of_as_of(real_site):
    settings = map_settings((real_site / "history" / "on-date.html").read_text(encoding="utf-8"))
    tagged = {area["id"]: area for area in settings["areas"]}
    with_areas = {s.id for s in CATALOG.systems.values() if CATALOG.area_of(s)}
    assert len(tagged) == len(settings["areas"]) and set(tagged) == with_areas
    assert {tagged[i]["colour"] for i in tagged if CATALOG.systems[i].kind == "stp"} == {"#BBBBBB"}
    shown = structure_on(structures(CATALOG), CATALOG.as_of)
    assert settings["show"] == [s.id for s in (*shown.systems, *shown.partnerships)]
    assert len(settings["show"]) == 36


def test_the_history_page_offers_every_change_date(real_site):
    html = (real_site / "history" / "index.html").read_text(encoding="utf-8")
    radios = re.findall(
        r'<input type="radio" name="atlas-on-date" value="([0-9-]+)"( checked)?', html
    )
    assert [value for value, _ in radios] == [s.date.isoformat() for s in structures(CATALOG)]
    assert [value for value, checked in radios if checked] == [CATALOG.as_of.isoformat()]
    assert 'src="on-date.html"' in html and "assets/javascripts/on-date.js" in html
