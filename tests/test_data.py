"""The real data, checked against the official lists and its own rules."""

import csv

from generator.build import validate
from tests.conftest import FIXTURES, REAL_DATA

OFFICIAL = FIXTURES / "official" / "loc22_icb22_nhser22.csv"


def official_icbs():
    with OFFICIAL.open(newline="") as handle:
        return {row["ICB22CDH"]: row for row in csv.DictReader(handle)}


def test_the_42_icbs_of_2022_match_the_ons_list():
    catalog = validate(REAL_DATA)
    icbs = [s for s in catalog.systems.values() if s.kind == "icb" and s.valid_from.year == 2022]
    official = official_icbs()
    assert len(icbs) == len(official) == 42
    for icb in icbs:
        row = official[icb.ods_code]
        assert (icb.ons_code, icb.name) == (row["ICB22CD"], row["ICB22NM"]), icb.id
        region = catalog.region_of(icb).id
        assert catalog.code_on("region", region, "ons", icb.valid_from) == row["NHSER22CD"], icb.id


def test_every_row_cites_a_source_with_a_web_address():
    catalog = validate(REAL_DATA)
    cited = [s.source_id for s in catalog.systems.values()]
    cited += [r.source_id for r in catalog.regions.values()]
    cited += [s.population_source_id for s in catalog.systems.values() if s.population]
    cited += [e.source_id for e in catalog.events]
    cited += [m.source_id for m in catalog.memberships]
    cited += [o.source_id for o in catalog.organisations.values()]
    assert len(cited) > 1000
    for source_ids in cited:
        for source in catalog.sources_for(source_ids):
            assert source.url.startswith(("https://", "http://"))


def test_seven_regions_and_populations_that_add_up_to_england():
    catalog = validate(REAL_DATA)
    assert len(catalog.regions) == 7
    # ONS mid-2022 estimate for England, the sum of the 42 ICB figures in the same release.
    icbs_2022 = [
        s for s in catalog.systems.values() if s.kind == "icb" and s.valid_from.year == 2022
    ]
    assert sum(s.population for s in icbs_2022) == 57_106_398


def test_current_means_in_force_on_as_of():
    catalog = validate(REAL_DATA)
    assert catalog.current_systems()
    assert all(s.in_force(catalog.as_of) for s in catalog.current_systems())
