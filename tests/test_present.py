"""The boards in force on as_of: populations, codes over time, clean URLs, sources, clusters."""

import datetime as dt

import pytest

from generator.build import validate
from generator.checks_present import check_unread_not_alone, unread_sources
from generator.load import load_data
from generator.validate import check_data
from tests.conftest import REAL_DATA, make_data
from tests.test_validate import edit

CATALOG = validate(REAL_DATA)


def current_boards():
    return [s for s in CATALOG.current_systems() if s.kind == "icb"]


@pytest.mark.parametrize("board", current_boards(), ids=lambda s: s.id)
def test_every_current_board_has_a_population_with_a_source(board):
    assert board.population and board.population_year
    sources = CATALOG.sources_for(board.population_source_id)
    assert sources and all(s.url.startswith("https://") for s in sources)


def test_derived_populations_say_so_and_hold_the_same_people():
    derived = [s for s in current_boards() if s.population and _derived(s.population_source_id)]
    assert {s.id for s in derived} == {
        "central-east",
        "essex",
        "norfolk-and-suffolk",
        "west-and-north-london",
        "hampshire-and-isle-of-wight",
        "surrey-and-sussex",
        "thames-valley",
    }
    for board in derived:
        first = CATALOG.sources_for(board.population_source_id)[0]
        assert "derived" in first.title.lower() and "DERIVED" in first.note
    # The East of England boards of 2026 cover what its six boards of 2022 covered.
    total = sum(
        CATALOG.systems[i].population for i in _ids("central-east essex norfolk-and-suffolk")
    )
    before = _ids(
        "bedfordshire-luton-and-milton-keynes cambridgeshire-and-peterborough "
        "hertfordshire-and-west-essex mid-and-south-essex suffolk-and-north-east-essex "
        "norfolk-and-waveney"
    )
    assert total == sum(CATALOG.systems[i].population for i in before)
    # The South East boards of 2026 that took Frimley's area cover what its five boards did.
    south = _ids("hampshire-and-isle-of-wight surrey-and-sussex thames-valley")
    before = _ids(
        "buckinghamshire-oxfordshire-and-berkshire-west frimley hampshire-and-isle-of-wight-2022 "
        "surrey-heartlands sussex"
    )
    assert sum(CATALOG.systems[i].population for i in south) == sum(
        CATALOG.systems[i].population for i in before
    )
    london = CATALOG.systems["west-and-north-london"].population
    assert london == sum(
        CATALOG.systems[i].population for i in _ids("north-central-london north-west-london")
    )


def _derived(source_ids):
    return any("(derived)" in s.title for s in CATALOG.sources_for(source_ids))


def _ids(text):
    return text.split()


def day(text):
    return dt.date.fromisoformat(text)


def test_the_plain_id_is_the_board_in_force_on_as_of():
    board = CATALOG.systems["hampshire-and-isle-of-wight"]
    assert board.in_force(CATALOG.as_of) and board.ods_code == "QRL"
    assert board.ons_code == "E54000067"
    earlier = CATALOG.systems["hampshire-and-isle-of-wight-2022"]
    assert (earlier.valid_to, earlier.ons_code) == (day("2026-03-31"), "E54000042")
    assert earlier.successor_ids == ("hampshire-and-isle-of-wight",)
    assert CATALOG.predecessors_of(board)[0].id in {"frimley", "hampshire-and-isle-of-wight-2022"}


def test_no_current_board_has_a_dated_id_while_its_plain_id_is_free():
    for board in CATALOG.current_systems():
        plain = board.id.rsplit("-", 1)[0]
        if board.id[-4:].isdigit():
            assert plain in CATALOG.systems, board.id


def test_the_clean_url_shows_the_current_board(real_site):
    page = (real_site / "systems" / "hampshire-and-isle-of-wight" / "index.html").read_text()
    assert 'In force on <time datetime="2026-04-01">2026-04-01</time>' in page
    assert "No longer in force" not in page
    assert "E54000067" in page and 'href="../hampshire-and-isle-of-wight-2022/"' in page
    old = (real_site / "systems" / "hampshire-and-isle-of-wight-2022" / "index.html").read_text()
    assert "No longer in force" in old and "E54000042" in old


def test_old_urls_still_resolve(real_site):
    page = (real_site / "systems" / "hampshire-and-isle-of-wight-2026" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=../hampshire-and-isle-of-wight/"' in page
    assert '<a href="../hampshire-and-isle-of-wight/">' in page
    api = real_site / "api" / "systems"
    assert (
        '"moved_to": "hampshire-and-isle-of-wight"'
        in (api / "hampshire-and-isle-of-wight-2026.json").read_text()
    )


def test_a_former_id_may_not_be_an_id_in_use(tmp_path):
    data = make_data(tmp_path / "data")
    edit(
        data,
        "systems.csv",
        "2022-07-01,,,,,,ons-lookup\nfrimley",
        "2022-07-01,,,frimley,,,ons-lookup\nfrimley",
    )
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(2, "former_ids", "unique")]


def test_a_row_naming_a_former_id_is_refused_not_moved(tmp_path):
    """A former id only keeps old URLs working; data must name the row it means."""
    data = make_data(tmp_path / "data")
    edit(
        data,
        "systems.csv",
        "2022-07-01,,,,,,ons-lookup\nfrimley",
        "2022-07-01,,,lsc-old,,,ons-lookup\nfrimley",
    )
    path = data / "events.csv"
    path.write_text(
        path.read_text() + "lsc-x,lsc-old,2023-01-01,boundary_change,,A change.,ons-lookup\n"
    )
    errors = check_data(load_data(data))
    assert [(e.path.split("/")[-1], e.field, e.code) for e in errors] == [
        ("events.csv", "system_id", "foreign-key")
    ]


@pytest.mark.parametrize(
    "kind,entity,date,code",
    [
        ("system", "surrey-heartlands", "2022-07-01", "E54000052"),
        ("system", "surrey-heartlands", "2023-03-31", "E54000052"),
        ("system", "surrey-heartlands", "2023-04-01", "E54000063"),
        ("system", "sussex", "2023-04-01", "E54000064"),
        ("system", "sussex", "2026-04-01", None),  # the board had ended
        ("system", "hampshire-and-isle-of-wight-2022", "2026-03-31", "E54000042"),
        ("system", "hampshire-and-isle-of-wight", "2026-04-01", "E54000067"),
        ("region", "east-of-england", "2022-07-01", "E40000007"),
        ("region", "east-of-england", "2024-01-01", "E40000013"),
        ("region", "north-west", "2023-12-31", "E40000010"),
        ("region", "north-west", "2026-04-01", "E40000014"),
    ],
)
def test_the_code_in_force_on_a_date(kind, entity, date, code):
    assert CATALOG.code_on(kind, entity, "ons", day(date)) == code


def test_ods_codes_did_not_change_with_the_2023_recodes():
    for board in ("surrey-heartlands", "sussex"):
        assert [c.code for c in CATALOG.codes_of("system", board, "ods")] == [
            CATALOG.systems[board].ods_code
        ]


def test_every_board_since_2022_has_its_codes_for_its_whole_life():
    for board in (s for s in CATALOG.systems.values() if s.kind == "icb"):
        for code_type in ("ods", "ons"):
            for when in (board.valid_from, board.valid_to or CATALOG.as_of):
                assert CATALOG.code_on("system", board.id, code_type, when), (board.id, when)


def test_regions_carry_the_code_in_force_on_as_of():
    for region in CATALOG.regions.values():
        assert region.ons_code == CATALOG.code_on("region", region.id, "ons", CATALOG.as_of)


def test_overlapping_code_periods_are_refused(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "codes.csv"
    path.write_text(path.read_text() + "region,north-west,ons,E40000014,2024-01-01,,ons-lookup,\n")
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [(3, "valid_from", "overlap")]


def test_a_code_for_an_unknown_entity_or_out_of_its_dates_is_refused(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "codes.csv"
    path.write_text(
        path.read_text()
        + "system,nowhere,ons,E54000001,2022-07-01,,ons-lookup,\n"
        + "system,lancashire-and-south-cumbria,ods,QE2,2021-01-01,2022-06-30,ons-lookup,\n"
    )
    errors = check_data(load_data(data))
    assert [(e.line, e.field, e.code) for e in errors] == [
        (3, "entity_id", "foreign-key"),
        (4, "valid_from", "date-range"),
    ]


def test_a_board_row_agrees_with_its_first_codes(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "codes.csv"
    path.write_text(path.read_text() + "system,frimley,ods,QNQ,2022-07-01,,ons-lookup,\n")
    path.write_text(path.read_text() + "system,frimley,ons,E54000099,2022-07-01,,ons-lookup,\n")
    errors = check_data(load_data(data))
    assert [(e.path.endswith("systems.csv"), e.line, e.field, e.code) for e in errors] == [
        (True, 3, "ons_code", "codes")
    ]


def test_system_pages_show_codes_over_time(real_site):
    page = (real_site / "systems" / "surrey-heartlands" / "index.html").read_text()
    assert "ONS codes over time" in page
    assert "<code>E54000052</code> from 2022-07-01 to 2023-03-31" in page
    assert "<code>E54000063</code> from 2023-04-01 to 2026-03-31" in page


def test_the_places_of_a_system_hold_no_more_people_than_it():
    for system in CATALOG.systems.values():
        counted = [p.population for p in CATALOG.places_of(system) if p.population]
        if counted and system.population:
            assert sum(counted) <= system.population, system.id


OFFICIAL_HOSTS = (
    "www.ons.gov.uk",
    "geoportal.statistics.gov.uk",
    "services1.arcgis.com",
    "www.data.gov.uk",
    "digital.nhs.uk",
    "www.england.nhs.uk",
)


def _host(url):
    return url.split("/")[2]


def test_a_source_that_names_ons_links_to_ons_and_says_where_it_was_read():
    ons = [s for s in CATALOG.sources.values() if s.publisher.startswith("Office for National")]
    assert len(ons) > 10
    for source in ons:
        assert _host(source.url) in OFFICIAL_HOSTS, source.id
        if "github.com" in (source.note or "") or "geographr" in (source.note or ""):
            assert source.read_at, source.id


def test_a_copy_named_in_a_note_is_recorded_in_read_at():
    for source in CATALOG.sources.values():
        note = source.note or ""
        if "copy at https://" in note or "Primary copy read: https://" in note:
            assert source.read_at and source.read_at in note, source.id
        if source.read_at:
            assert source.read_at != source.url and _host(source.read_at) != "", source.id


def test_pages_say_where_a_source_was_read(real_site):
    page = (real_site / "systems" / "sussex" / "index.html").read_text()
    assert '(read from <a href="https://github.com/nhsengland/' in page
    assert "a copy at github.com</a>)" in page


def test_a_source_not_read_directly_is_never_alone(tmp_path):
    data = make_data(tmp_path / "data")
    path = data / "sources.csv"
    path.write_text(
        path.read_text()
        + "heard-of,A lookup,Office for National Statistics,https://example.org/x,,,"
        + "2026-12-03,,NOT read directly. Named by others.\n"
    )
    edit(data, "regions.csv", "E40000005,,,ons-lookup", "E40000005,,,heard-of")
    edit(data, "regions.csv", "E40000010,,,ons-lookup", "E40000010,,,heard-of;ons-lookup")
    errors = check_data(load_data(data))
    assert [(e.path.rsplit("/", 1)[1], e.line, e.field, e.code) for e in errors] == [
        ("regions.csv", 3, "source_id", "unread-source")
    ]


def test_the_real_data_cites_its_unread_source_only_beside_others():
    raw = load_data(REAL_DATA)
    assert unread_sources(raw) == {"ons-lsoa21-icb26-lookup"}
    assert not check_unread_not_alone(raw)
