"""The finder in a real browser: postcodes, outward codes, councils and a mocked location."""

import pytest

pytestmark = pytest.mark.browser


def answer(page) -> str:
    box = page.locator(".atlas-find-answer")
    box.wait_for()
    return box.inner_text()


@pytest.mark.parametrize(
    "query,board,history",
    [
        ("SE1 7EH", "NHS South East London Integrated Care Board", "Before 2022"),
        ("sl11aa", "NHS Thames Valley Integrated Care Board", "NHS Frimley Integrated Care Board"),
        (
            "GU15",
            "NHS Surrey and Sussex Integrated Care Board",
            "NHS Frimley Integrated Care Board",
        ),
    ],
)
def test_a_postcode_lands_on_the_board_in_force_with_its_history(visit, query, board, history):
    page = visit.goto(f"/find/?q={query}")
    text = answer(page)
    assert "From 1 April 2026" in text and board in text and history in text
    assert visit.foreign_requests() == [] and visit.errors == []


def test_a_council_name_finds_its_district_and_board(visit):
    page = visit.goto("/find/")
    page.locator("#atlas-find-q").fill("Slough")
    page.locator("form.atlas-find button[type=submit]").click()
    text = answer(page)
    assert "Slough" in text and "NHS Thames Valley Integrated Care Board" in text
    assert "q=Slough" in page.url


def test_the_home_page_box_opens_the_finder(visit):
    page = visit.goto("/")
    page.locator("#home-find-q").fill("CT9")
    page.locator("form.atlas-find-home button").click()
    assert "NHS Kent and Medway Integrated Care Board" in answer(page)


def test_use_my_location_is_worked_out_in_the_browser(browser, base_url):
    from tests.browser.conftest import Visit

    context = browser.new_context(
        geolocation={"latitude": 50.2632, "longitude": -5.0510}, permissions=["geolocation"]
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.goto("/find/")
    page.locator("[data-find-location]").click()
    text = answer(page)
    assert "Cornwall" in text and "not sent" in text
    assert visit.foreign_requests() == []
    context.close()


def test_an_unknown_name_says_what_the_finder_can_do(visit):
    page = visit.goto("/find/?q=Atlantis")
    assert "Town and village names are not in the data yet" in answer(page)
