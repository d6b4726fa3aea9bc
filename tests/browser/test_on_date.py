"""The history page's date control: a date chosen by keyboard redraws the list and the map."""

import pytest
from playwright.sync_api import expect

from generator.build import validate
from generator.timeline import structure_on, structures
from tests.browser.conftest import Visit
from tests.browser.test_pages import AXE
from tests.conftest import REAL_DATA

pytestmark = pytest.mark.browser
CATALOG = validate(REAL_DATA)
FOUND = structures(CATALOG)
BLUE = "#0072B2"  # integrated care systems and boards; partnerships are grey


def drawn(systems) -> int:
    """How many of these systems the map can draw: those with a boundary."""
    return len([s for s in systems if CATALOG.area_of(s)])


def expect_structure(page, structure):
    frame = page.frame_locator(".atlas-on-date iframe")
    expect(page.locator(".atlas-on-date-systems li")).to_have_count(len(structure.systems))
    expect(page.locator(".atlas-on-date-others li")).to_have_count(len(structure.partnerships))
    everything = (*structure.systems, *structure.partnerships)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(drawn(everything))
    expect(frame.locator(f"path.leaflet-interactive[fill='{BLUE}']")).to_have_count(
        drawn(structure.systems)
    )
    status = page.locator(".atlas-on-date-status").inner_text()
    assert status.startswith("From ") and str(len(structure.systems)) in status


def test_a_date_chosen_by_keyboard_redraws_the_list_and_the_map(visit):
    page = visit.goto("/history/")
    shown = structure_on(FOUND, CATALOG.as_of)
    assert len(shown.systems) == 36 and shown is FOUND[-1]
    expect_structure(page, shown)
    first = page.locator(".atlas-on-date-systems a").first
    assert first.get_attribute("href").startswith("../systems/")
    page.locator("input[name=atlas-on-date]:checked").focus()
    counts = []
    for structure in reversed(FOUND[:-1]):  # back through the change dates, one key at a time
        page.keyboard.press("ArrowLeft")
        checked = page.locator("input[name=atlas-on-date]:checked").get_attribute("value")
        assert checked == structure.date.isoformat()
        expect_structure(page, structure)
        counts.append(len(structure.systems))
    assert counts[:4] == [42, 42, 29, 18]  # July 2022, then back through the waves
    assert visit.foreign_requests() == [] and visit.errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_date_control_is_accessible(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = Visit(context.new_page(), base_url).goto("/history/")
    expect(page.locator(".atlas-on-date-systems li")).to_have_count(36)
    page.locator("input[name=atlas-on-date]").nth(2).check()
    expect(page.locator(".atlas-on-date-others li").first).to_be_visible()
    results = AXE.run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_the_date_control_fits_a_narrow_phone(browser, base_url):
    context = browser.new_context(
        viewport={"width": 320, "height": 800}, is_mobile=True, has_touch=True
    )
    page = Visit(context.new_page(), base_url).goto("/history/")
    expect(page.locator(".atlas-on-date-systems li")).to_have_count(36)
    page.locator("input[name=atlas-on-date]").first.check()
    expect(page.locator(".atlas-on-date-others li")).to_have_count(44)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll <= 320


def test_without_javascript_the_waves_still_show(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/history/")
    assert page.locator(".atlas-on-date").is_hidden()
    assert page.locator(".atlas-wave-list").count() >= 3
    context.close()
