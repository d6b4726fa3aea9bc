"""Case studies: YAML files flattened into tables, checked like the CSVs, shown with figures."""

import pytest

from generator.build import validate
from generator.errors import DataErrors
from generator.load import load_data
from generator.records import Figure
from generator.render import format_figure
from generator.validate import check_data
from tests.conftest import REAL_DATA, make_data

CATALOG = validate(REAL_DATA)
FILE = "case_studies/frimley-test-case.yaml"


def errors_after(tmp_path, old, new):
    data = make_data(tmp_path / "data")
    path = data / FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    try:
        errors = check_data(load_data(data))
    except DataErrors as exc:  # a file that cannot be read at all stops at loading
        errors = exc.errors
    return [(e.path.split("/")[-1], e.line, e.field, e.code) for e in errors]


def test_yaml_files_become_two_tables_with_lines(tmp_path):
    raw = load_data(make_data(tmp_path / "data"))
    cases, figures = raw.tables["case_studies"], raw.tables["case_study_figures"]
    assert cases.rows[0]["systems"] == "frimley"
    assert cases.rows[0]["themes"] == "primary-care;digital-and-data"
    assert [row["value"] for row in figures.rows] == ["2500000", "54"]
    assert [line for _, line in figures.origins] == [9, 14]
    assert figures.origins[0][0].endswith(FILE)
    assert check_data(raw) == []


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "themes: [primary-care,",
            "themes: [gardening,",
            ("frimley-test-case.yaml", 4, "themes", "pattern"),
        ),
        (
            "systems: [frimley]",
            "systems: [nowhere]",
            ("frimley-test-case.yaml", 3, "systems", "foreign-key"),
        ),
        ("unit: percent", "unit: furlongs", ("frimley-test-case.yaml", 16, "unit", "enum")),
        ("value: 54", "value: lots", ("frimley-test-case.yaml", 15, "value", "type")),
        ("    as_of: 2019-06-20\n", "", ("frimley-test-case.yaml", 14, "period", "required")),
        (
            "Some **Markdown**",
            "Some <script>alert(1)</script>",
            ("frimley-test-case.yaml", 6, "body", "raw-html"),
        ),
        (
            "Some **Markdown**",
            "[click](javascript:alert(1))",
            ("frimley-test-case.yaml", 6, "body", "unsafe-link"),
        ),
        (
            "sources: [ons-lookup]",
            "sources: [ons-lookup]\ncolour: red",
            ("frimley-test-case.yaml", 20, "colour", "unknown-field"),
        ),
    ],
)
def test_each_defect_names_file_line_of_its_key_and_field(tmp_path, old, new, expected):
    assert errors_after(tmp_path, old, new) == [expected]


def test_broken_yaml_names_its_line(tmp_path):
    assert errors_after(tmp_path, "summary: A case", "summary: [A case")[0][:2] == (
        "frimley-test-case.yaml",
        6,
    )


@pytest.mark.parametrize(
    "value,unit,shown",
    [
        (2500000, "gbp", "£2.5m"),
        (1200000000, "gbp", "£1.2bn"),
        (54, "percent", "54%"),
        (100000, "count", "100,000"),
        (9.2, "days", "9.2 days"),
        (750, "gbp", "£750"),
    ],
)
def test_figures_are_formatted_for_people(value, unit, shown):
    assert format_figure(Figure("x", "label", value, unit, None, None, "s")) == shown


SEED_CASES = [
    "gloucestershire-gp-appointments",
    "dorset-single-care-record",
    "one-bromley",
    "great-north-care-record",
    "nenc-digital-pathology",
    "nenc-find-your-place",
    "berkshire-west-paramedic-home-visiting",
    "buckinghamshire-over-75s-community-nursing",
]


@pytest.mark.parametrize("case_id", SEED_CASES)
def test_seed_case_studies_have_files(case_id):
    assert case_id in CATALOG.case_studies


def test_the_seed_documents_give_at_least_thirteen_case_studies():
    assert len(CATALOG.case_studies) >= 13
    assert len(CATALOG.figures) >= 20


@pytest.mark.parametrize("case", list(CATALOG.case_studies.values()), ids=lambda c: c.id)
def test_case_page_shows_every_figure_and_links_systems(real_site, case):
    html = (real_site / "case-studies" / case.id / "index.html").read_text(encoding="utf-8")
    for figure in CATALOG.figures_of(case):
        assert format_figure(figure).replace("&", "&amp;") in html
    for system_id in case.system_ids:
        assert f'href="../../systems/{system_id}/"' in html
    system_page = (real_site / "systems" / case.system_ids[0] / "index.html").read_text(
        encoding="utf-8"
    )
    assert f'href="../../case-studies/{case.id}/"' in system_page
