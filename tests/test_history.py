"""The designation history, checked against the published counts and followed page to page."""

import datetime as dt
import itertools
import re

import pytest

from generator.build import validate
from generator.timeline import TITLES, timeline, waves
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)


def day(text):
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    "date,kind,count",
    [
        ("2020-05-31", "ics", 18),  # NHS England: four more, making 18
        ("2020-12-31", "ics", 29),  # eleven more, making 29
        ("2021-04-01", "ics", 42),  # the rest, covering England
        ("2022-07-01", "icb", 42),  # 42 boards established
    ],
)
def test_systems_in_force_match_the_published_counts(date, kind, count):
    assert len(CATALOG.in_force_on(day(date), (kind,))) == count


def test_fewer_boards_after_the_mergers_of_april_2026():
    after = CATALOG.in_force_on(day("2026-04-01"), ("icb",))
    assert 0 < len(after) < 42
    assert [e for e in CATALOG.events if e.date == day("2026-04-01") and e.type == "merged"]


def test_every_event_cites_a_source_with_an_address():
    assert len(CATALOG.events) > 100
    for event in CATALOG.events:
        assert all(s.url.startswith("http") for s in CATALOG.sources_for(event.source_id))


def test_every_event_type_has_a_title():
    schema = CATALOG.tables["events"].field("type")
    assert set(schema["constraints"]["enum"]) <= set(TITLES)


def test_each_wave_is_counted_from_the_data():
    found = {w.name: (len(w.new), len(w.in_force)) for w in waves(CATALOG)}
    assert found["2020-05"] == (4, 18)
    assert found["2020-12"] == (11, 29)
    assert found["2021-04"][1] == 42
    assert sum(len(w.new) for w in waves(CATALOG)) == len(
        [e for e in CATALOG.events if e.type == "ics_designated"]
    )


def test_timeline_runs_from_the_vanguards_in_date_order():
    entries = timeline(CATALOG)
    assert entries[0].type == "vanguard"
    assert [e.date for e in entries] == sorted(e.date for e in entries)


def test_history_page_shows_a_map_and_list_per_wave(real_site):
    html = (real_site / "history" / "index.html").read_text(encoding="utf-8")
    for wave in waves(CATALOG):
        assert f'src="wave-{wave.name}.html"' in html
        assert (real_site / "history" / f"wave-{wave.name}.html").is_file()
        count = f"<strong>{len(wave.in_force)}</strong> integrated care systems in force"
        assert f"{count} after the wave of {wave.name}" in html
    assert html.count('class="atlas-wave-list"') == len(waves(CATALOG))


def test_the_bob_chain_can_be_followed_page_to_page(real_site):
    chain = [
        "berkshire-west-ics",
        "buckinghamshire-oxfordshire-and-berkshire-west-ics",
        "buckinghamshire-oxfordshire-and-berkshire-west",
    ]
    for here, there in itertools.pairwise(chain):
        html = (real_site / "systems" / here / "index.html").read_text(encoding="utf-8")
        succeeded = html[html.index("Succeeded by") :]
        assert re.search(rf'href="(\.\./\.\./systems/|\.\./){there}/"', succeeded), here
        back = (real_site / "systems" / there / "index.html").read_text(encoding="utf-8")
        assert f'href="../{here}/"' in back[back.index("Preceded by") :], there


def test_historical_pages_say_so(real_site):
    html = (real_site / "systems" / "berkshire-west-ics" / "index.html").read_text(encoding="utf-8")
    assert "No longer in force" in html and "2017-06-01" in html
