"""The maps of the history page: the footprints after each wave of designations, and every
system that ever had an area, shown or hidden by the page's date control.
"""

from __future__ import annotations

import dataclasses

from generator.map_features import ONS_ATTRIBUTION, area, feature
from generator.maps import MapFeature, render_map
from generator.model import Catalog
from generator.records import System
from generator.timeline import COUNTED, Structure, Wave

WAVE_COLOURS = {"new": "#D55E00", "ics": "#0072B2", "other": "#BBBBBB"}


def wave_map(catalog: Catalog, wave: Wave, tiles: dict | None) -> str:
    def drawn(system: System, status: str) -> MapFeature:
        return MapFeature(
            name=system.short_name,
            href=f"../systems/{system.id}/",
            colour=WAVE_COLOURS[status],
            label=LEGEND[status],
            lat=system.lat,
            lon=system.lon,
            emphasis=status != "other",
            **area(catalog, system, overview=True),
        )

    status = {s.id: "new" if s in wave.new else "ics" for s in wave.in_force}
    features = [drawn(s, "other") for s in wave.others]
    features += [drawn(s, status[s.id]) for s in wave.in_force]
    return render_map(
        features,
        title=f"Integrated care systems after the wave of {wave.name}",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[(WAVE_COLOURS[k], LEGEND[k]) for k in ("new", "ics", "other")],
        tiles=tiles,
    )


LEGEND = {"new": "Designated in this wave", "ics": "Already an ICS", "other": "Not yet an ICS"}
ON_DATE_LEGEND = [
    (WAVE_COLOURS["ics"], "Integrated care system or board"),
    (WAVE_COLOURS["other"], "Partnership, not yet an ICS"),
]


def on_date_map(catalog: Catalog, shown: Structure | None, tiles: dict | None) -> str:
    """Every system that ever had an area, each tagged with its id; the history page's date
    control shows those in force on the chosen date. ``shown`` is what is drawn at first."""

    def tagged(system: System) -> MapFeature:
        counted = system.kind in COUNTED
        colour = WAVE_COLOURS["ics" if counted else "other"]
        href = f"../systems/{system.id}/"
        shape = feature(catalog, system, href, colour, emphasis=counted, overview=True)
        return dataclasses.replace(shape, id=system.id, label=system.kind_label)

    first = [*shown.systems, *shown.partnerships] if shown else []
    return render_map(
        [tagged(s) for s in catalog.systems.values() if catalog.area_of(s)],
        title="Integrated care systems in force on a chosen date",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=ON_DATE_LEGEND,
        tiles=tiles,
        show=[s.id for s in first],
    )
