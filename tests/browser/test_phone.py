"""The public on a phone: no sideways scrolling, maps that let the page scroll, keyboard maps."""

import pytest

from tests.browser.test_pages import AXE, PAGE_KINDS

pytestmark = pytest.mark.browser
PAGES = [path for path in PAGE_KINDS.values() if not path.endswith(".html")]


@pytest.fixture(params=[320, 390], ids=["320px", "390px"])
def narrow(request, browser, base_url):
    from tests.browser.conftest import Visit

    context = browser.new_context(
        viewport={"width": request.param, "height": 800}, is_mobile=True, has_touch=True
    )
    yield Visit(context.new_page(), base_url), request.param
    context.close()


def test_no_page_scrolls_sideways(narrow):
    visit, width = narrow
    wide = {}
    for path in PAGES:
        page = visit.goto(path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
    assert len(PAGES) >= 10
    assert wide == {}


def test_on_a_touch_screen_one_finger_scrolls_past_the_map(phone):
    page = phone.goto("/maps/england.html")
    assert page.evaluate("atlasMap.dragging.enabled()") is False
    assert "atlas-touch" in page.locator(".leaflet-container").get_attribute("class")
    assert page.evaluate("atlasMap.touchZoom.enabled()") is True


def test_a_desktop_map_still_drags(visit):
    page = visit.goto("/maps/england.html")
    assert page.evaluate("atlasMap.dragging.enabled()") is True


def test_the_keyboard_reaches_an_area_names_it_and_opens_it(visit):
    page = visit.goto("/maps/england.html")
    area = page.locator("path.leaflet-interactive[role=link]").first
    name = area.get_attribute("aria-label")
    assert name
    area.focus()
    assert name in page.locator(".leaflet-tooltip").inner_text()
    area.press("Enter")
    page.wait_for_url("**/systems/*/")
    assert name in page.locator("h1").inner_text()


def test_the_legend_folds_away_on_a_phone(browser, base_url):
    from tests.browser.conftest import Visit

    for width, expected in ((375, False), (1280, True)):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = Visit(context.new_page(), base_url).goto("/history/wave-2020-12.html")
        assert page.evaluate("document.querySelector('details.atlas-legend-box').open") is expected
        context.close()


def test_main_sections_are_one_tap_away_on_a_desktop(visit):
    page = visit.goto("/systems/")
    tabs = page.locator(".md-tabs__link").all_inner_texts()
    assert {"Home", "Systems", "History", "Case studies", "Data", "About"} <= set(tabs)
    assert AXE.run(page).violations_count == 0
