"""Why each organisation is in a board, and that nobody falls through the mergers of 2026."""

import datetime as dt
import shutil
from dataclasses import replace

import pytest

from generator.build import validate
from generator.checks_cells import CATCHMENT_THRESHOLD
from generator.checks_history import check_mergers
from generator.load import load_data
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)
AS_OF = CATALOG.as_of
EVE = dt.date(2026, 3, 31)
ICBS_NOW = [s for s in CATALOG.current_systems() if s.kind == "icb"]
# The organisations the issue found lost on 1 April 2026, and the board that took each.
LOST_IN_2026 = {
    "bracknell-forest": "thames-valley",
    "slough": "thames-valley",
    "windsor-and-maidenhead": "thames-valley",
    "berkshire-healthcare-nhs-foundation-trust": "thames-valley",
    "east-suffolk-and-north-essex-nhs-foundation-trust": "essex",
    "the-princess-alexandra-hospital-nhs-trust": "essex",
    "west-hertfordshire-teaching-hospitals-nhs-trust": "central-east",
    "hertfordshire-partnership-university-nhs-foundation-trust": "central-east",
    "hertfordshire-community-nhs-trust": "central-east",
}


def open_on(organisation, day):
    return organisation.valid_to is None or organisation.valid_to >= day


def boards_of(organisation, day):
    return {m.system_id for m in CATALOG.memberships_of(organisation) if m.in_force(day)} & {
        s.id for s in CATALOG.in_force_on(day, ("icb",))
    }


def is_trust(organisation):
    return organisation.type.endswith("_trust") or (
        organisation.type == "other" and (organisation.ods_code or "").startswith("R")
    )


@pytest.mark.parametrize(
    "organisation",
    [
        o
        for o in CATALOG.organisations.values()
        if (is_trust(o) or o.type == "local_authority") and open_on(o, AS_OF)
    ],
    ids=lambda o: o.id,
)
def test_every_trust_and_council_open_on_as_of_serves_a_board(organisation):
    assert boards_of(organisation, AS_OF), f"{organisation.name} serves no board on {AS_OF}"


@pytest.mark.parametrize("org_id,board", sorted(LOST_IN_2026.items()))
def test_the_losses_of_2026_serve_the_board_that_took_their_area(org_id, board):
    organisation = CATALOG.organisations[org_id]
    assert boards_of(organisation, EVE), "served a board the day before"
    assert board in boards_of(organisation, AS_OF)


def test_the_merger_check_finds_nobody_lost_in_the_real_data():
    assert check_mergers(load_data(REAL_DATA)) == []


def test_the_merger_check_names_the_organisation_and_the_date(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    path = data / "memberships.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("thames-valley,slough,")]
    path.write_text("".join(kept), encoding="utf-8")
    [error] = check_mergers(load_data(data))
    last = next(n for n, line in enumerate(kept, 1) if line.startswith("frimley,slough,"))
    assert (error.path.split("/")[-1], error.line, error.field) == (
        "memberships.csv",
        last,
        "valid_to",
    )
    assert '"slough"' in error.message and "2026-03-31" in error.message


def test_every_board_in_force_has_an_ambulance_service():
    for board in ICBS_NOW:
        services = [
            o
            for m, o in CATALOG.members_of(board)
            if o.type == "ambulance_trust" and m.in_force(AS_OF)
        ]
        assert services, board.id
        assert all(
            m.basis == "service_area"
            for m, o in CATALOG.members_of(board)
            if o.type == "ambulance_trust"
        )


def test_south_western_ambulance_serves_every_south_west_board():
    swasft = CATALOG.organisations["south-western-ambulance-service-nhs-foundation-trust"]
    south_west = {s.id for s in ICBS_NOW if s.region_id == "south-west"}
    assert len(south_west) == 7
    assert boards_of(swasft, AS_OF) == south_west


def test_every_row_has_a_basis_and_catchment_rows_a_share_above_the_threshold():
    assert {m.basis for m in CATALOG.memberships} <= {
        "constitution",
        "partner_list",
        "service_area",
        "catchment",
        "geography",
    }
    catchment = [m for m in CATALOG.memberships if m.basis == "catchment"]
    assert len(catchment) > 100
    assert all(m.share is not None and m.share >= CATCHMENT_THRESHOLD for m in catchment)
    kinds = {CATALOG.organisations[m.organisation_id].type for m in catchment}
    assert kinds == {"acute_trust"}


@pytest.mark.parametrize(
    "basis,share,kind,words",
    [
        ("catchment", 0.306, "acute_trust", "about 31% of its hospital patients live in this area"),
        ("geography", None, "mental_health_trust", "head office here"),
        ("geography", 1.0, "local_authority", "council area in this board"),
        ("geography", 0.13, "local_authority", "about 13% of the council area is in this board"),
        ("service_area", None, "ambulance_trust", "serves this area"),
    ],
)
def test_the_basis_in_plain_words(basis, share, kind, words):
    membership = replace(CATALOG.memberships[0], basis=basis, share=share)
    assert membership.basis_text(kind) == words


def test_pages_say_the_basis_in_plain_words(real_site):
    page = (real_site / "systems" / "thames-valley" / "index.html").read_text(encoding="utf-8")
    assert "Serves this area." in page and "Head office here" in page
    assert "of its hospital patients live in this area" in page
    for system in ICBS_NOW:
        html = (real_site / "systems" / system.id / "index.html").read_text(encoding="utf-8")
        assert "OHID catchment share" not in html, system.id
    organisations = (real_site / "organisations" / "index.html").read_text(encoding="utf-8")
    assert "(serves this area" in organisations
