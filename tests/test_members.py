"""Members, places and counts: reconciled with each other and with the seed documents."""

import datetime as dt
from collections import Counter

import pytest

from generator.build import validate
from generator.load import load_data
from generator.validate import check_data
from tests.conftest import REAL_DATA, make_data

CATALOG = validate(REAL_DATA)
ICB_DAY = dt.date(2022, 7, 1)
ICBS_2022 = [s for s in CATALOG.systems.values() if s.kind == "icb" and s.valid_from == ICB_DAY]
# Which memberships a stored count should equal.
COUNTED_ROLE = {
    "upper_tier_local_authority_count": "partner_local_authority",
    "local_authority_count": "partner_local_authority",
    "sub_icb_location_count": "predecessor_ccg",
    "ccg_count": "predecessor_ccg",
    "trust_count": "partner_trust",
    "trust_count_ods_host": "partner_trust",
}


def roles(system):
    return Counter(m.role for m, _ in CATALOG.members_of(system))


@pytest.mark.parametrize("system", ICBS_2022, ids=lambda s: s.id)
def test_every_board_of_2022_has_councils_and_trusts(system):
    assert roles(system)["partner_local_authority"] >= 1
    assert roles(system)["partner_trust"] >= 1


def test_every_ccg_has_exactly_one_predecessor_board():
    ccgs = [o for o in CATALOG.organisations.values() if o.type == "ccg"]
    assert len(ccgs) == 106
    for ccg in ccgs:
        boards = [
            m.system_id
            for m in CATALOG.memberships
            if m.organisation_id == ccg.id and m.role == "predecessor_ccg"
        ]
        assert len(boards) == 1, ccg.id


def test_every_upper_tier_council_belongs_to_a_board():
    councils = [o for o in CATALOG.organisations.values() if o.type == "local_authority"]
    assert len(councils) == 152
    assert all(CATALOG.systems_of(o) for o in councils)


def test_nearly_every_trust_belongs_to_a_board():
    trusts = [
        o
        for o in CATALOG.organisations.values()
        if o.type.endswith("_trust") or (o.type == "other" and (o.ods_code or "").startswith("R"))
    ]
    linked = [t for t in trusts if CATALOG.systems_of(t)]
    assert len(trusts) > 200
    assert len(linked) / len(trusts) >= 0.95


def counted(stat):
    role = COUNTED_ROLE[stat.measure]
    system = CATALOG.systems[stat.system_id]
    return sum(
        1
        for m, _ in CATALOG.members_of(system)
        if m.role == role and (role == "predecessor_ccg" or m.in_force(stat.as_of))
    )


@pytest.mark.parametrize(
    "stat",
    [s for s in CATALOG.stats if s.measure in COUNTED_ROLE],
    ids=lambda s: f"{s.system_id}-{s.measure}-{s.as_of}",
)
def test_stored_counts_match_the_memberships_or_say_why(stat):
    if counted(stat) != stat.value:
        assert stat.note and "member" in stat.note, "a count that differs must explain why"


@pytest.mark.parametrize(
    "system_id,measure,value,as_of",
    [
        ("north-east-and-north-cumbria-ics", "pcn_count", 71, "2019-06-20"),
        ("north-east-and-north-cumbria-ics", "local_authority_count", 14, "2019-06-20"),
        ("buckinghamshire-oxfordshire-and-berkshire-west-ics", "pcn_count", 45, "2019-06-20"),
        ("south-east-london-ics", "trust_count", 5, "2019-06-20"),
        ("south-east-london-ics", "ccg_count", 6, "2019-06-20"),
        ("south-east-london-ics", "local_authority_count", 6, "2019-06-20"),
    ],
)
def test_seed_figures_hold_at_their_dates(system_id, measure, value, as_of):
    [stat] = [
        s
        for s in CATALOG.stats
        if (s.system_id, s.measure) == (system_id, measure)
        and s.as_of == dt.date.fromisoformat(as_of)
    ]
    assert stat.value == value
    assert CATALOG.systems[system_id].in_force(stat.as_of)


def test_south_east_london_has_its_six_boroughs():
    councils = {
        o.name
        for m, o in CATALOG.members_of(CATALOG.systems["south-east-london"])
        if m.role == "partner_local_authority"
    }
    assert {"Bromley", "Lambeth", "Southwark"} <= councils
    assert len(councils) == 6


def test_a_membership_of_an_unknown_organisation_is_refused(tmp_path):
    data = make_data(tmp_path / "data")
    with (data / "memberships.csv").open("a") as handle:
        handle.write("frimley,no-such-trust,partner_trust,geography,,,2022-07-01,,ons-lookup,\n")
    errors = check_data(load_data(data))
    assert [(e.path.split("/")[-1], e.line, e.field, e.code) for e in errors] == [
        ("memberships.csv", 8, "organisation_id", "foreign-key")
    ]
    assert "no-such-trust" in errors[0].message and "organisations.csv" in errors[0].message


def test_split_councils_say_where_they_are_split():
    by_council = Counter(
        m.organisation_id for m in CATALOG.memberships if m.role == "partner_local_authority"
    )
    for m in CATALOG.memberships:
        if m.role == "partner_local_authority" and by_council[m.organisation_id] > 1:
            assert m.note, m.organisation_id


def test_organisations_page_links_each_to_its_systems(real_site):
    html = (real_site / "organisations" / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr id=") == len(CATALOG.organisations)
    for org_id in ["oxleas-nhs-foundation-trust", "bromley"]:
        row = html[html.index(f'<tr id="{org_id}"') :]
        row = row[: row.index("</tr>")]
        assert 'href="../systems/south-east-london/"' in row, org_id


def test_the_change_of_april_2023_is_a_dated_membership():
    [row] = [
        m
        for m in CATALOG.memberships
        if (m.system_id, m.organisation_id) == ("surrey-heartlands", "west-sussex")
    ]
    assert row.valid_to == dt.date(2023, 3, 31)
    assert not row.in_force(dt.date(2023, 4, 1))
    sussex = [
        m
        for m in CATALOG.memberships
        if (m.system_id, m.organisation_id) == ("sussex", "west-sussex")
    ]
    assert sussex and sussex[0].in_force(dt.date(2023, 4, 1))
