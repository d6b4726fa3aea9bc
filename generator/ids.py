"""System ids over time: a system's plain id is its row in force on as_of.

When a continuing board starts a new dated row (a new area or code), the new row takes the
plain id and the earlier row gets a dated id (hampshire-and-isle-of-wight-2022). Rows of other
tables written before such a change may still use the old ids; these functions read them as
they were meant, so a rename never moves a fact to the wrong row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


def current_ids(records: list, former: dict[str, str]) -> list:
    """Rows that name a system by an id it had before are read as naming it by its id now."""
    return [
        dataclasses.replace(r, system_id=former[r.system_id]) if r.system_id in former else r
        for r in records
    ]


def dated_rows(memberships: list, systems: dict) -> list:
    """A membership that ended before its row began belongs to the same board's earlier row.

    The board is the same ODS code; the earlier row is the one in force on the membership's
    last day, or on the day after it (a predecessor CCG's link ends as the board begins).
    Rows that fit their system's dates are left as they are.
    """
    by_code: dict[str, list] = {}
    for system in systems.values():
        if system.ods_code:
            by_code.setdefault(system.ods_code, []).append(system)
    return [_dated(m, systems, by_code) for m in memberships]


def _dated(membership, systems: dict, by_code: dict):
    system = systems.get(membership.system_id)
    end = membership.valid_to
    if system is None or end is None or end >= system.valid_from or not system.ods_code:
        return membership
    after = end + dt.timedelta(days=1)  # a predecessor's link ends the day before the board began
    rows = by_code[system.ods_code]
    earlier = [s for s in rows if s.in_force(end)] or [s for s in rows if s.in_force(after)]
    return dataclasses.replace(membership, system_id=earlier[0].id) if earlier else membership
