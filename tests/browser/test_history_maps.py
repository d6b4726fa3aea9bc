"""The statutory boards on the history page in a browser: the before-and-after maps side by
side on a desktop and stacked on a phone, drawn in full, and the page accessible at both."""

import pytest
from playwright.sync_api import expect

from generator.build import validate
from generator.history_maps import BOARD_COLOURS
from generator.timeline import board_changes
from tests.browser.test_pages import AXE
from tests.conftest import REAL_DATA

pytestmark = pytest.mark.browser
CHANGE = board_changes(validate(REAL_DATA))[-1]
PAIR = ".atlas-map-pair figure"


def history(browser, base_url, width: int, scheme: str = "light"):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(base_url + "/history/", wait_until="networkidle")
    page.locator(PAIR).last.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("width", [320, 375, 1280], ids=["320px", "phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_history_page_passes_axe_and_never_scrolls_sideways(browser, base_url, width, scheme):
    context, page = history(browser, base_url, width, scheme)
    results = AXE.run(page)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert scroll <= width


@pytest.mark.parametrize("width,side_by_side", [(375, False), (1280, True)])
def test_the_pair_stands_side_by_side_on_a_desktop_and_stacks_on_a_phone(
    browser, base_url, width, side_by_side
):
    context, page = history(browser, base_url, width)
    before, after = (page.locator(PAIR).nth(i).bounding_box() for i in (0, 1))
    context.close()
    assert (
        after["y"] == before["y"] and after["x"] > before["x"] + before["width"]
    ) is side_by_side
    assert (after["y"] >= before["y"] + before["height"]) is not side_by_side


def test_the_maps_of_the_change_shade_the_boards_that_ended_and_began(visit):
    page = visit.goto("/history/")
    page.locator(PAIR).last.scroll_into_view_if_needed()
    changed = f"path.leaflet-interactive[fill='{BOARD_COLOURS['changed']}']"
    for i, (shown, shaded) in enumerate(
        [(CHANGE.before, CHANGE.ended), (CHANGE.after, CHANGE.began)]
    ):
        frame = page.frame_locator(PAIR + " iframe").nth(i)
        expect(frame.locator("path.leaflet-interactive")).to_have_count(len(shown))
        expect(frame.locator(changed)).to_have_count(len(shaded))
    assert visit.foreign_requests() == [] and visit.errors == []
