import pytest

from generator.load import load_data
from generator.validate import check_data
from tests.conftest import make_data

CASES = {
    "duplicate_ods": [(3, "ods_code", "unique")],
    "unknown_region": [(3, "region_id", "foreign-key")],
    "bad_date": [(4, "valid_from", "type")],
    "bad_pattern": [(2, "ods_code", "pattern")],
    "unknown_source": [(2, "source_id", "foreign-key")],
    "date_order": [(3, "valid_to", "date-order")],
    "formula": [(4, "short_name", "formula")],
    "bad_url": [(4, "website", "pattern")],
    "lost_in_merger": [(5, "valid_to", "lost-in-merger")],
    "catchment_share": [(2, "share", "required")],
}
# The file each case's errors are in, where it is not systems.csv.
CASE_FILES = {"lost_in_merger": "memberships.csv", "catchment_share": "memberships.csv"}


def errors_for(tmp_path, case=None):
    return check_data(load_data(make_data(tmp_path / "data", case)))


def test_valid_fixture_has_no_errors(tmp_path):
    assert errors_for(tmp_path) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_defect_is_found_where_it_is(tmp_path, case):
    errors = errors_for(tmp_path, case)
    assert [(e.line, e.field, e.code) for e in errors] == CASES[case]
    assert all(e.path.endswith(CASE_FILES.get(case, "systems.csv")) for e in errors)


def test_every_invalid_fixture_has_a_case():
    from tests.conftest import FIXTURES

    assert sorted(p.name for p in (FIXTURES / "invalid").iterdir()) == sorted(CASES)


def test_all_errors_are_reported_not_only_the_first(tmp_path):
    data = make_data(tmp_path / "data")
    text = (data / "systems.csv").read_text()
    text = text.replace(",QNQ,", ",QE1,").replace("2022-07-01,,,,https", "2022-07-32,,,,https")
    (data / "systems.csv").write_text(text)
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [
        (3, "ods_code", "unique"),
        (4, "valid_from", "type"),
    ]


def test_successors_must_exist(tmp_path):
    data = make_data(tmp_path / "data")
    edit(
        data,
        "systems.csv",
        "2022-07-01,,,,,,ons-lookup\nfrimley",
        "2022-07-01,2026-03-31,nowhere,,,,ons-lookup\nfrimley",
    )
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(2, "successor_ids", "foreign-key")]


def test_a_code_may_repeat_when_the_systems_do_not_overlap(tmp_path):
    data = make_data(tmp_path / "data")
    text = (data / "systems.csv").read_text()
    text += (
        "lancashire-and-south-cumbria-ics,Lancashire and South Cumbria ICS,"
        "Lancashire and South Cumbria ICS,ics,QE1,,north-west,,,,,,2018-05-01,2022-06-30,"
        "lancashire-and-south-cumbria,,,,ons-lookup\n"
    )
    (data / "systems.csv").write_text(text)
    assert check_data(load_data(data)) == []


def test_missing_metadata_is_named(tmp_path):
    data = make_data(tmp_path / "data")
    (data / "atlas.yaml").write_text("title: x\nversion: 1\npublisher: p\nlicence: l\n")
    errors = check_data(load_data(data))
    assert [(e.field, e.code) for e in errors] == [("as_of", "required")]


def edit(data, name, old, new):
    path = data / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_successor_takes_over_the_day_after_its_predecessor_ends(tmp_path):
    data = make_data(tmp_path / "data")
    edit(
        data,
        "systems.csv",
        "2022-07-01,,,,,,ons-lookup\nfrimley",
        "2022-07-01,2022-07-01,frimley,,,,ons-lookup\nfrimley",
    )
    assert check_data(load_data(data)) == []
    edit(data, "systems.csv", ",2022-07-01,frimley,", ",2026-03-31,frimley,")
    edit(
        data,
        "systems.csv",
        "frimley,NHS Frimley Integrated Care Board,Frimley,icb,QNQ,E54000034,"
        "south-east,773481,2022,ons-pop,51.3991,-0.7256,2022-07-01,,",
        "frimley,NHS Frimley Integrated Care Board,Frimley,icb,QNQ,E54000034,"
        "south-east,773481,2022,ons-pop,51.3991,-0.7256,2022-07-01,2025-01-01,",
    )
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(2, "successor_ids", "date-order")]


def test_a_system_with_successors_has_an_end(tmp_path):
    data = make_data(tmp_path / "data")
    edit(
        data,
        "systems.csv",
        "2022-07-01,,,,,,ons-lookup\nfrimley",
        "2022-07-01,,frimley,,,,ons-lookup\nfrimley",
    )
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(2, "valid_to", "required")]


def test_events_fall_within_their_system_and_designations_happen_once(tmp_path):
    data = make_data(tmp_path / "data")
    with (data / "events.csv").open("a") as handle:
        handle.write("frimley-ics,frimley,2022-08-01,ics_designated,2022,Designated.,ons-lookup\n")
        handle.write("frimley-again,frimley,2022-09-01,ics_designated,2022,Again.,ons-lookup\n")
        handle.write("frimley-early,frimley,2021-01-01,boundary_change,,Too early.,ons-lookup\n")
        handle.write("frimley-vanguard,frimley,2015-03-10,vanguard,,Before it.,ons-lookup\n")
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [
        (5, "type", "unique"),
        (6, "date", "date-range"),
    ]
