"""The finder in a real browser: postcodes, outward codes, towns, councils and a mocked
location."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser
AXE = Axe()


def answer(page) -> str:
    box = page.locator(".atlas-find-answer")
    box.wait_for()
    return box.inner_text()


@pytest.mark.parametrize(
    "query,board,history",
    [
        (
            "SE1 7EH",
            "From 1 July 2022: NHS South East London Integrated Care Board",
            "Before 2022",
        ),
        (
            "sl11aa",
            "From 1 April 2026: NHS Thames Valley Integrated Care Board",
            "NHS Frimley Integrated Care Board",
        ),
        (
            "GU15",
            "From 1 April 2026: NHS Surrey and Sussex Integrated Care Board",
            "NHS Frimley Integrated Care Board",
        ),
    ],
)
def test_a_postcode_lands_on_the_board_in_force_with_its_history(visit, query, board, history):
    page = visit.goto(f"/find/?q={query}")
    text = answer(page)
    assert board in text and history in text
    assert visit.foreign_requests() == [] and visit.errors == []


@pytest.mark.parametrize(
    "query,district,board,history",
    [
        (
            "Margate",
            "Thanet",
            "From 1 July 2022: NHS Kent and Medway Integrated Care Board",
            "Before 2022: Kent and Medway Integrated Care System",
        ),
        (
            "Glossop",
            "High Peak",
            "From 1 July 2022: NHS Derby and Derbyshire Integrated Care Board",
            "Before 2022",
        ),
        (
            "camberley",
            "Surrey Heath",
            "From 1 April 2026: NHS Surrey and Sussex Integrated Care Board",
            "2022\u20132026: NHS Frimley Integrated Care Board (about 83%)",
        ),
    ],
)
def test_a_town_lands_on_its_districts_board_with_its_history(
    visit, query, district, board, history
):
    page = visit.goto(f"/find/?q={query}")
    text = answer(page)
    assert f"in {district}" in text
    assert board in text and history in text
    link = page.locator(".atlas-find-answer h3 a").first
    assert link.get_attribute("href").endswith(f"/places/{district.lower().replace(' ', '-')}/")
    assert visit.foreign_requests() == [] and visit.errors == []
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_name_in_several_districts_lists_each_the_largest_first(visit):
    page = visit.goto("/find/?q=Guildford")
    text = answer(page)
    assert "2 places and areas are called" in text
    headings = page.locator(".atlas-find-answer h3").all_inner_texts()
    assert headings[:2] == [
        "Guildford (council district, E07000209)",  # and the town of Guildford in it
        "Guildford (suburb in Cornwall)",
    ]
    assert "NHS Cornwall and the Isles of Scilly Integrated Care Board" in text


def test_a_place_in_a_split_district_says_so(visit):
    page = visit.goto("/find/?q=Kendal")
    text = answer(page)
    assert "Kendal (town in Westmorland and Furness)" in text
    assert "Westmorland and Furness is split between boards" in text
    assert "2022\u2013:" not in text  # the same boards since 2022: one line
    assert "NHS Lancashire and South Cumbria Integrated Care Board (about 72%)" in text


def test_a_name_with_an_apostrophe_is_found_and_shown_as_text(visit):
    page = visit.goto("/find/?q=Bishops Stortford")
    text = answer(page)
    assert "Bishop's Stortford (town in East Hertfordshire)" in text
    assert visit.errors == []


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
    assert "a town or village, a council, or a district" in answer(page)
