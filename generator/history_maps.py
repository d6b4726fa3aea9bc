"""The maps of the history page: the footprints after each wave of designations, every
system that ever had an area (shown or hidden by the page's date control), and the statutory
boards: those first established, and those either side of each day boards ended or began.
"""

from __future__ import annotations

import dataclasses

from generator.boundaries import bounds
from generator.map_features import ONS_ATTRIBUTION, area, feature
from generator.maps import MapFeature, render_map
from generator.model import Catalog
from generator.records import System
from generator.timeline import (
    COUNTED,
    Structure,
    Wave,
    board_changes,
    first_boards,
    long_day,
)

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


BOARD_COLOURS = {"changed": WAVE_COLOURS["new"], "kept": WAVE_COLOURS["ics"]}


def board_maps(catalog: Catalog, tiles: dict | None) -> dict[str, str]:
    """The boards first established, and those the day before and the day of each change;
    by their path in the site."""
    found = {}
    first = first_boards(catalog)
    if first:
        path = f"history/boards-{first.date}.html"
        found[path] = boards_map(catalog, first.date, first.systems, (), "", tiles)
    for change in board_changes(catalog):
        before, after = change_paths(change.date)
        ended, began = f"Ended on {long_day(change.eve)}", f"New on {long_day(change.date)}"
        box = _around(catalog, [*change.ended, *change.began])
        found[before] = boards_map(
            catalog, change.eve, change.before, change.ended, ended, tiles, box
        )
        found[after] = boards_map(
            catalog, change.date, change.after, change.began, began, tiles, box
        )
    return found


def _around(catalog: Catalog, systems: list[System]) -> list[list[float]] | None:
    """The box around the areas of ``systems``, so that both maps of a change open on it."""
    boxes = [bounds(area) for s in systems if (area := catalog.area_of(s))]
    if not boxes:
        return None
    lats = [round(corner[0], 4) for box in boxes for corner in box]
    lons = [round(corner[1], 4) for box in boxes for corner in box]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def change_paths(day) -> tuple[str, str]:
    """Where the maps of the boards either side of a change are written."""
    return f"history/change-{day}-before.html", f"history/change-{day}-after.html"


def boards_map(
    catalog: Catalog,
    day,
    boards: tuple[System, ...],
    changed: tuple[System, ...],
    changed_label: str,
    tiles: dict | None,
    box: list[list[float]] | None = None,
) -> str:
    """The boards in force on ``day``; those in ``changed`` shaded apart, as ``changed_label``.
    The map opens on ``box``, or on all England."""
    kept_label = "Unchanged" if changed else "Integrated care board"

    def drawn(system: System) -> MapFeature:
        status = "changed" if system in changed else "kept"
        return MapFeature(
            name=system.short_name,
            href=f"../systems/{system.id}/",
            colour=BOARD_COLOURS[status],
            label=changed_label if status == "changed" else kept_label,
            lat=system.lat,
            lon=system.lon,
            **area(catalog, system, overview=True),
        )

    legend = [(BOARD_COLOURS["changed"], changed_label)] if changed else []
    return render_map(
        [drawn(s) for s in boards],
        title=f"Integrated care boards in force on {long_day(day)}",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[*legend, (BOARD_COLOURS["kept"], kept_label)],
        bounds=box,
        tiles=tiles,
    )
