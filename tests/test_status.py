"""Every link or page that names a system no longer in force says so, and names what replaced it."""

import re

from generator.boundaries import neighbours
from generator.build import validate
from generator.site_maps import neighbour_colours
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)
ABOLISHED = [
    s
    for s in CATALOG.systems.values()
    if s.valid_to and s.valid_to < CATALOG.as_of and s.kind == "icb"
]


def test_frimley_is_followed_to_the_three_boards_that_took_its_area():
    frimley = CATALOG.systems["frimley"]
    assert [s.id for s in CATALOG.current_successors(frimley)] == [
        "hampshire-and-isle-of-wight",
        "surrey-and-sussex",
        "thames-valley",
    ]
    assert CATALOG.current_successors(CATALOG.systems["thames-valley"]) == []


def test_every_abolished_board_page_names_its_successors_in_the_banner(real_site):
    assert len(ABOLISHED) >= 12
    for system in ABOLISHED:
        html = (real_site / "systems" / system.id / "index.html").read_text(encoding="utf-8")
        banner = html.split('class="admonition note atlas-historical"')[1].split("</div>")[0]
        assert "No longer in force" in banner
        successors = CATALOG.current_successors(system)
        assert successors, system.id
        for successor in successors:
            assert f'href="../{successor.id}/"' in banner, (system.id, successor.id)


def test_links_to_historical_systems_say_so_and_name_the_successor(real_site):
    html = (real_site / "organisations" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="slough".*?</tr>', html, re.S)
    assert row, "Slough is listed"
    assert "ended" in row.group() and 'href="../systems/thames-valley/"' in row.group()
    index = (real_site / "systems" / "index.html").read_text(encoding="utf-8")
    frimley = re.search(r'<a href="../systems/frimley/">Frimley</a>(.*?)</th>', index, re.S)
    assert frimley and "now" in frimley.group(1) and "thames-valley" in frimley.group(1)


def test_neighbours_on_the_national_map_never_share_a_colour():
    systems = CATALOG.current_systems()
    colours = neighbour_colours(CATALOG, systems)
    areas = {s.ons_code: CATALOG.boundaries[s.ons_code] for s in systems}
    by_code = {s.ons_code: s.id for s in systems}
    touching = neighbours(areas)
    pairs = [(a, b) for a, near in touching.items() for b in near]
    assert len(pairs) > 50
    assert all(colours[by_code[a]] != colours[by_code[b]] for a, b in pairs)


def test_dates_are_marked_up_so_they_never_break(real_site):
    html = (real_site / "systems" / "frimley" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-03-31">2026-03-31</time>' in html


def test_the_2025_clusters_are_events_and_shown_on_board_pages(real_site):
    clustered = [e for e in CATALOG.events if e.type == "clustered"]
    assert len({e.system_id for e in clustered}) >= 18
    for event in clustered:
        assert CATALOG.systems[event.system_id].in_force(event.date), event.id
    html = (real_site / "systems" / "black-country" / "index.html").read_text(encoding="utf-8")
    row = html.split('<th scope="row">Cluster')[1].split("</tr>")[0]
    assert "Birmingham and Solihull" in row and "separate statutory body" in row
