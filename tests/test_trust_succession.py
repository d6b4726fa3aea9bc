"""Trusts on as_of and since 2022, against the ODS trust list and the successions in its wake."""

import csv
import datetime as dt

import pytest

from generator.build import validate
from tests.conftest import FIXTURES, REAL_DATA

CATALOG = validate(REAL_DATA)
AS_OF = CATALOG.as_of
OFFICIAL = FIXTURES / "official"
SINCE = dt.date(2022, 1, 1)
# Trusts of the official list that need not serve a board on as_of, with the reason.
OUT_OF_SCOPE: dict[str, str] = {}


def _rows(name):
    with (OFFICIAL / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text):
    return dt.datetime.strptime(text, "%Y%m%d").date() if text else None


TRUSTS = {r["OrganisationCode"]: r for r in _rows("ods_etr_trusts.csv")}
SUCCESSIONS = {r["PredecessorCode"]: r for r in _rows("ods_trust_successions.csv")}
OURS = {o.ods_code: o for o in CATALOG.organisations.values() if o.ods_code}
OPEN = sorted(c for c, r in TRUSTS.items() if not r["CloseDate"] or _day(r["CloseDate"]) >= AS_OF)
CLOSED = sorted(
    c for c, r in TRUSTS.items() if r["CloseDate"] and SINCE <= _day(r["CloseDate"]) < AS_OF
)


def test_the_lists_are_read():
    assert len(OPEN) > 200
    assert len(CLOSED) >= len(SUCCESSIONS) > 0


@pytest.mark.parametrize("code", OPEN, ids=str)
def test_every_trust_open_on_as_of_serves_a_board(code):
    if code in OUT_OF_SCOPE:
        pytest.skip(OUT_OF_SCOPE[code])
    assert code in OURS, f"{TRUSTS[code]['Name']} is missing"
    memberships = CATALOG.memberships_of(OURS[code])
    assert any(m.in_force(AS_OF) for m in memberships), f"{code} serves no board on {AS_OF}"


@pytest.mark.parametrize("code", CLOSED, ids=str)
def test_every_trust_closed_since_2022_ends_on_its_ods_close_date(code):
    assert code in OURS, f"{TRUSTS[code]['Name']} is missing"
    trust = OURS[code]
    assert trust.valid_to == _day(TRUSTS[code]["CloseDate"])
    assert not any(m.in_force(AS_OF) for m in CATALOG.memberships_of(trust))


@pytest.mark.parametrize("code", sorted(SUCCESSIONS), ids=str)
def test_each_succession_is_recorded_on_the_last_membership(code):
    row = SUCCESSIONS[code]
    trust, successor = OURS[code], OURS[row["SuccessorCode"]]
    assert trust.valid_to + dt.timedelta(days=1) == dt.date.fromisoformat(row["SuccessionDate"])
    assert successor.valid_to is None or successor.valid_to >= AS_OF
    last = [m for m in CATALOG.memberships_of(trust) if m.valid_to == trust.valid_to]
    if SINCE <= trust.valid_to < dt.date(2022, 7, 1):
        return  # closed before the boards existed, so no membership carries it
    assert last, f"{code} has no membership ending on {trust.valid_to}"
    for membership in last:
        assert f"({row['SuccessorCode']}" in (membership.note or ""), membership.system_id
        assert row["Source"] in membership.source_id.split(";"), membership.system_id
