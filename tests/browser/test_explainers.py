"""/understand/ and /glossary/ in a browser: accessible at phone and desktop widths, in both
colour schemes, with the diagram drawn and acronyms explained on the page."""

import pytest

from tests.browser.test_pages import AXE

pytestmark = pytest.mark.browser
PAGES = ["/understand/", "/glossary/"]


@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_explainers_pass_axe(browser, base_url, path, width, scheme):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(base_url + path, wait_until="networkidle")
    results = AXE.run(page)
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert not wide


def test_the_diagram_is_drawn_and_named(visit):
    page = visit.goto("/understand/")
    diagram = page.get_by_role("img", name="neighbourhoods sit inside places", exact=False)
    assert diagram.count() == 1
    box = diagram.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert page.locator("#levels-table tbody tr").count() == 3


def test_an_acronym_explains_itself_on_the_page(visit):
    page = visit.goto("/")
    abbr = page.locator("abbr", has_text="ICS").first
    assert abbr.get_attribute("title").startswith("Integrated care system:")


def test_understand_and_glossary_are_in_the_navigation(visit):
    page = visit.goto("/")
    assert "Understand" in page.locator(".md-tabs__link").all_inner_texts()
    page.locator(".md-tabs__link", has_text="Understand").first.click()
    page.wait_for_url("**/understand/")
    assert page.locator("h1").inner_text() == "Understand integrated care systems"
