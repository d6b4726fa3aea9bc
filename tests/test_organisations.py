"""Organisations as they are on each day: the boards agree with systems.csv."""

import datetime as dt

import pytest

from generator.build import validate
from tests.conftest import REAL_DATA

CATALOG = validate(REAL_DATA)
ICB_SYSTEMS = [s for s in CATALOG.systems.values() if s.kind == "icb"]
# Every day on which the set of boards changes: a board begins, or the day after one ends.
CHANGE_DAYS = sorted(
    {s.valid_from for s in ICB_SYSTEMS}
    | {s.valid_to + dt.timedelta(days=1) for s in ICB_SYSTEMS if s.valid_to}
)


def in_force(row, day):
    starts = row.valid_from is None or row.valid_from <= day
    return starts and (row.valid_to is None or day <= row.valid_to)


def board_organisations(day):
    return {
        (o.ods_code, o.ons_code, o.name)
        for o in CATALOG.organisations.values()
        if o.type == "icb" and in_force(o, day)
    }


def board_systems(day):
    return {(s.ods_code, s.ons_code, s.name) for s in ICB_SYSTEMS if s.in_force(day)}


def test_the_boards_change_on_the_days_expected():
    assert CHANGE_DAYS[:1] == [dt.date(2022, 7, 1)] and dt.date(2026, 4, 1) in CHANGE_DAYS


@pytest.mark.parametrize("day", sorted({*CHANGE_DAYS, CATALOG.as_of}), ids=str)
def test_board_organisations_equal_the_boards_in_force(day):
    assert board_organisations(day) == board_systems(day)


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_the_day_before_a_change_agrees_too(day):
    eve = day - dt.timedelta(days=1)
    assert board_organisations(eve) == board_systems(eve)
