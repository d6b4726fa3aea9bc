"""Every kind of page in a real browser: privacy, errors, accessibility, maps and search."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.build import validate
from tests.browser.conftest import serve
from tests.conftest import REAL_DATA, ROOT
from tests.test_hostile import build_hostile_site

pytestmark = pytest.mark.browser

# One page of every kind the site has. A new template or hand-written page must add its kind.
PAGE_KINDS = {
    "home.md.j2": "/",
    "systems_index.md.j2": "/systems/",
    "history.md.j2": "/history/",
    "wave map": "/history/wave-2020-12.html",
    "on-date map": "/history/on-date.html",
    "boards map": "/history/change-2026-04-01-before.html",
    "organisations.md.j2": "/organisations/",
    "members map": "/systems/south-east-london/members-map.html",
    "case_studies_index.md.j2": "/case-studies/",
    "case_study.md.j2": "/case-studies/gloucestershire-gp-appointments/",
    "case studies map": "/case-studies/map.html",
    "data.md.j2": "/data/",
    "api.md.j2": "/api/",
    "changelog.md.j2": "/changelog/",
    "system.md.j2": "/systems/lancashire-and-south-cumbria/",
    "national map": "/maps/england.html",
    "system map": "/systems/lancashire-and-south-cumbria/map.html",
    "docs page": "/about/",
    "search page": "/search/?q=Frimley",
    "find.md.j2": "/find/?q=SE1",
    "places_index.md.j2": "/places/",
    "place.md.j2": "/places/slough/",
    "understand.md.j2": "/understand/",
    "glossary.md.j2": "/glossary/",
}
AXE = Axe()
TITLE = ".pagefind-ui__result-inner > .pagefind-ui__result-title"  # a page's, not a section's


def search(page, query: str):
    """Type a query into the search page and wait until the results stop changing."""
    box = page.locator("#atlas-search input")
    box.press_sequentially(query)
    page.locator(".pagefind-ui__result").first.wait_for()
    results, before = page.locator(".pagefind-ui__results"), None
    for _ in range(40):
        now = results.inner_text()
        if now == before:
            break
        before = now
        page.wait_for_timeout(250)
    return page.locator(".pagefind-ui__result")


def test_every_page_kind_is_visited():
    templates = {p.name for p in (ROOT / "site_templates").glob("*.md.j2")}
    assert templates <= set(PAGE_KINDS), f"no browser check for {templates - set(PAGE_KINDS)}"


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_is_private_quiet_and_accessible(visit, kind):
    page = visit.goto(PAGE_KINDS[kind])
    assert page.locator("body").inner_text().strip(), "the page has content"
    assert visit.foreign_requests() == []
    assert visit.errors == []
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", ["home.md.j2", "system.md.j2", "case_study.md.j2", "data.md.j2"])
def test_dark_scheme_is_accessible_too(browser, base_url, kind):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + PAGE_KINDS[kind], wait_until="networkidle")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    results = AXE.run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/systems/frimley/", "/find/"])
def test_no_page_downloads_a_search_index_until_someone_searches(visit, path):
    visit.goto(path)
    assert visit.requests, "the page loaded nothing at all"
    assert [u for u in visit.requests if "/pagefind/" in u or "search_index" in u] == []


def test_a_first_search_fetches_the_index_in_pieces(visit):
    page = visit.goto("/search/")
    before = len(visit.requests)
    search(page, "Frimley")
    fetched = [u for u in visit.requests[before:] if "/pagefind/" in u]
    assert any("/pagefind/index/" in u for u in fetched), fetched
    assert len([u for u in fetched if "/pagefind/index/" in u]) < 5


def test_search_shows_a_hostile_name_as_text(browser, tmp_path):
    site, _ = build_hostile_site(tmp_path)
    with serve(site) as base:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "/search/", wait_until="networkidle")
        results = search(page, "XSSSYSTEMSNAME")
        assert results.count() >= 1
        assert "XSSSYSTEMSNAME" in results.first.inner_text()
        assert page.locator(".pagefind-ui__results img, .pagefind-ui__results script").count() == 0
        page.close()
    assert dialogs == []


def test_maps_share_one_boundary_file_per_vintage(visit):
    page = visit.goto("/systems/frimley/map.html")
    page.wait_for_selector("html[data-map-ready]")
    geo = [u for u in visit.requests if "/assets/geo/" in u]
    assert geo and all(u.endswith("_boundaries.json") for u in geo), geo
    assert page.locator("path.leaflet-interactive").count() >= 2


def test_national_map_draws_one_feature_per_system(visit):
    table = visit.goto("/")
    expected = table.locator("#systems-in-force tbody tr").count()
    page = visit.goto("/maps/england.html")
    page.wait_for_selector("html[data-map-ready]")
    assert (
        page.locator(".leaflet-interactive").count()
        == expected
        == len(validate(REAL_DATA).current_systems())
    )


def test_without_boundaries_the_map_shows_points_that_open_pages(browser, points_url):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(points_url + "/", wait_until="networkidle")
    frame = page.frame_locator("iframe")
    assert frame.locator("path.leaflet-interactive").count() == len(
        validate(REAL_DATA).current_systems()
    )
    frame.locator(".leaflet-interactive").nth(5).click()
    page.wait_for_url("**/systems/*/")
    context.close()


def test_skip_link_and_keyboard_reach_the_content(visit):
    page = visit.goto("/systems/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.md-content') !== null")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('select[data-filter]')"):
            break
    assert page.evaluate("document.activeElement.dataset.filter") == "status"


def test_the_systems_index_filters_current_and_historical(visit):
    page = visit.goto("/systems/")
    rows = page.locator("#all-systems-table tbody tr")
    total = rows.count()
    assert total == len(validate(REAL_DATA).systems)
    page.select_option("select[data-filter='status']", "current")
    current = len(validate(REAL_DATA).current_systems())
    assert page.locator("#all-systems-table tbody tr:not([hidden])").count() == current
    page.select_option("select[data-filter='kind']", "stp")
    assert page.locator("#all-systems-table tbody tr:not([hidden])").count() == 0
    page.select_option("select[data-filter='status']", "historical")
    assert page.locator("#all-systems-table tbody tr:not([hidden])").count() > 40


def test_clicking_a_feature_opens_its_system_page(visit):
    page = visit.goto("/")
    frame = page.frame_locator("iframe")
    frame.locator(".leaflet-interactive").nth(20).click()
    page.wait_for_url("**/systems/*/")
    assert page.locator("h1").inner_text()
    assert "/systems/" in page.url


def test_maps_survive_navigation_through_the_site(visit):
    page = visit.goto("/")
    page.locator("#systems-in-force a").first.click()
    page.wait_for_url("**/systems/*/")
    assert page.frame_locator("iframe").locator(".leaflet-interactive").count() >= 1
    page.locator(".md-tabs__link", has_text="Home").first.click()
    page.wait_for_url(visit.base_url + "/")
    assert page.frame_locator("iframe").locator(".leaflet-interactive").count() == len(
        validate(REAL_DATA).current_systems()
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ("QE1", "Lancashire and South Cumbria"),
        ("R0A", "Greater Manchester"),
        ("Frimley", "Frimley"),
        ("Black Country", "Black Country"),
    ],
)
def test_search_puts_the_system_first(visit, query, expected):
    first = search(visit.goto("/search/"), query).first
    assert first.locator(TITLE).inner_text().strip() == expected


@pytest.mark.parametrize(
    "query,successor",
    [
        ("Sussex and East Surrey", "sussex-ics"),
        ("Berkshire West", "buckinghamshire-oxfordshire-and-berkshire-west-ics"),
    ],
)
def test_search_finds_old_names_and_leads_on(visit, query, successor):
    page = visit.goto("/search/")
    first = search(page, query).first
    assert query in first.inner_text()
    first.locator("a.pagefind-ui__result-link").first.click()
    page.wait_for_url("**/systems/*/**")
    links = f"a[href='../{successor}/'], a[href='../../systems/{successor}/']"
    assert page.locator(links).count() >= 1


def test_phone_width_has_no_horizontal_scroll_and_search_works(phone, artifacts):
    page = phone.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("#systems-in-force a").count() == len(validate(REAL_DATA).current_systems())
    page.screenshot(path=artifacts / "home-phone.png", full_page=False)
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-nav--primary a.md-nav__link", has_text="Search").first.click()
    page.wait_for_url("**/search/")
    first = search(page, "QE1").first
    assert "Lancashire and South Cumbria" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_screenshots_for_people(visit, phone, artifacts):
    for name, path in [("home", "/"), ("system", "/systems/lancashire-and-south-cumbria/")]:
        visit.goto(path).screenshot(path=artifacts / f"{name}-desktop.png", full_page=True)
        phone.goto(path).screenshot(path=artifacts / f"{name}-phone.png", full_page=True)
    assert (artifacts / "home-desktop.png").stat().st_size > 10_000


def test_searching_for_a_council_finds_its_system(visit):
    page = visit.goto("/search/")
    search(page, "Bromley")
    titles = page.locator(f".pagefind-ui__result {TITLE}").all_inner_texts()
    assert "South East London" in [t.strip() for t in titles[:5]]


def test_case_studies_filter_by_theme_system_and_region(visit):
    page = visit.goto("/case-studies/")
    cards = page.locator("#case-study-list > li")
    visible = page.locator("#case-study-list > li:not([hidden])")
    total = cards.count()
    assert total >= 13
    page.select_option("select[data-filter='theme']", "mental-health")
    themed = visible.count()
    assert 0 < themed < total
    for i in range(themed):
        assert "mental-health" in visible.nth(i).get_attribute("data-theme").split()
    page.select_option("select[data-filter='theme']", "")
    page.select_option("select[data-filter='region']", "london")
    assert 0 < visible.count() < total
    page.select_option("select[data-filter='system']", "north-east-and-north-cumbria-ics")
    assert visible.count() == 0  # no case study is both in London and in the North East
    page.select_option("select[data-filter='region']", "")
    assert visible.count() >= 3
    assert page.locator(".atlas-filter-count").inner_text().endswith(f"of {total} rows shown")


def test_the_copy_button_copies_the_citation(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + "/case-studies/one-bromley/", wait_until="networkidle")
    page.get_by_role("button", name="Copy the BibTeX").click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.startswith("@misc{icsatlas-case-studies-one-bromley,")


def test_organisations_filter_by_type_and_region(visit):
    page = visit.goto("/organisations/")
    visible = page.locator("#organisations-table tbody tr:not([hidden])")
    total = visible.count()
    page.select_option("select[data-filter='type']", "ambulance_trust")
    ambulance = visible.count()
    assert 0 < ambulance < 20
    page.select_option("select[data-filter='region']", "london")
    assert 0 < visible.count() <= ambulance
    page.select_option("select[data-filter='type']", "")
    page.select_option("select[data-filter='region']", "")
    assert visible.count() == total
