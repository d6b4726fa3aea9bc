"""The trusts in organisations.csv against the official ODS trust list."""

import csv
import datetime as dt

import pytest

from generator.build import validate
from tests.conftest import FIXTURES, REAL_DATA

CATALOG = validate(REAL_DATA)
AS_OF = CATALOG.as_of
OFFICIAL = FIXTURES / "official" / "ods_etr_trusts.csv"


def official_open():
    """Trusts the ODS list has open on as_of, by code."""
    with OFFICIAL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 200
    day = AS_OF.strftime("%Y%m%d")
    return {r["OrganisationCode"]: r for r in rows if not r["CloseDate"] or r["CloseDate"] >= day}


OFFICIAL_OPEN = official_open()


def is_open(organisation, day: dt.date) -> bool:
    return organisation.valid_to is None or organisation.valid_to >= day


OURS = {
    o.ods_code: o
    for o in CATALOG.organisations.values()
    if o.ods_code and (o.type.endswith("_trust") or o.type == "other") and is_open(o, AS_OF)
}


@pytest.mark.parametrize("code", sorted(OFFICIAL_OPEN), ids=str)
def test_every_open_trust_in_the_official_list_is_ours_with_its_name(code):
    assert code in OURS, f"{OFFICIAL_OPEN[code]['Name']} is missing"
    assert OURS[code].name.upper() == OFFICIAL_OPEN[code]["Name"]


@pytest.mark.parametrize("code", sorted(OURS), ids=str)
def test_every_trust_we_call_open_is_open_in_the_official_list(code):
    assert code in OFFICIAL_OPEN, f"{OURS[code].name} is not open in the ODS list on {AS_OF}"


def test_earlier_names_are_not_current_names():
    current = {o.name for o in CATALOG.organisations.values()}
    assert CATALOG.organisation_names
    assert not {n.name for n in CATALOG.organisation_names} & current
