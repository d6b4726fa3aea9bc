"""The postcode reduction: grid conversion, sectors, shares and placement."""

import numpy as np
import shapely

from generator.osgb import grid_to_osgb36, grid_to_wgs84
from generator.reference_postcodes import place, sector_of, shares


def test_os_worked_example():
    # "A guide to coordinate systems in Great Britain", OS, worked example of C.2
    lat, lon = grid_to_osgb36(np.array([651409.903]), np.array([313177.270]))
    assert abs(np.degrees(lat[0]) - (52 + 39 / 60 + 27.2531 / 3600)) < 1e-7
    assert abs(np.degrees(lon[0]) - (1 + 43 / 60 + 4.5177 / 3600)) < 1e-7


def test_wgs84_point():
    # SE1 0AA (531860, 179460) with PROJ EPSG:27700 -> EPSG:4326 (Helmert EPSG:1314)
    lon, lat = grid_to_wgs84([531860], [179460])
    assert abs(lon[0] - -0.1017724) < 1e-6 and abs(lat[0] - 51.4987076) < 1e-6


def test_sector_of():
    assert sector_of("SE1 7EH") == "SE1 7"
    assert sector_of("B1 1AY") == "B1 1"
    assert sector_of("SW1A 0AA") == "SW1A 0"


def test_shares_add_to_one():
    for counts in ([1, 1, 1], [2, 1], [999_999, 1, 1], [5]):
        parts = shares(counts)
        assert sum(int(p.replace(".", "")) for p in parts) == 10**6


def test_place_inside_and_nearest():
    square = shapely.box(0.0, 52.0, 0.1, 52.1)
    other = shapely.box(0.1, 52.0, 0.2, 52.1)
    lon = np.array([0.05, 0.15, 0.2 + 0.01, 0.5])  # in, in, ~690 m east, far away
    lat = np.array([52.05, 52.05, 52.05, 52.05])
    placed = place([square, other], lon, lat)
    assert placed.board.tolist() == [0, 1, 1, -1]
    assert (placed.inside, placed.nearest, placed.unplaced) == (2, 1, 1)
