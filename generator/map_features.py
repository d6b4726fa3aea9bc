"""What every map draws for a system: its area (boundary file and code), name, colour and link.

Shared by the maps of the site (``site_maps``) and those of the history page (``history_maps``).
"""

from __future__ import annotations

from generator.maps import PALETTE, MapFeature
from generator.model import Catalog
from generator.records import System

OVERVIEW = "-overview"  # the suffix of the lighter boundary files, for maps of all England
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2026"
)


def region_colours(catalog: Catalog) -> dict[str, str]:
    return {rid: PALETTE[i % len(PALETTE)] for i, rid in enumerate(sorted(catalog.regions))}


def feature(
    catalog: Catalog, system: System, href: str, colour: str, emphasis=True, overview=False
):
    region = catalog.region_of(system)
    return MapFeature(
        name=system.short_name,
        href=href,
        colour=colour,
        label=f"{region.name} region",
        lat=system.lat,
        lon=system.lon,
        emphasis=emphasis,
        **area(catalog, system, overview),
    )


def area(catalog: Catalog, system: System, overview: bool = False) -> dict:
    """The boundary file and code that draw the system's area, if it has one. Maps of all
    England draw from the overview files, which are lighter."""
    code = system.ons_code
    if not code or code not in catalog.boundaries:
        return {}
    vintage = catalog.boundaries.vintage[code]
    return {"vintage": vintage + OVERVIEW if overview else vintage, "code": code}
