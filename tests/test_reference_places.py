"""The place-name reduction: the nearest postcode on a grid, names kept, one row per district."""

import numpy as np

from generator.reference_places import Grid, Points, names_of, place_rows


def test_the_grid_finds_the_nearest_point_as_a_full_search_does():
    rng = np.random.default_rng(7)
    east, north = rng.uniform(0, 20_000, 3000), rng.uniform(0, 20_000, 3000)
    grid = Grid(Points(east, north, ["x"] * 3000))
    for x, y in rng.uniform(-3000, 23_000, (300, 2)):
        d = np.hypot(east - x, north - y)
        index, distance = grid.nearest(x, y)
        assert index == int(d.argmin()) and abs(distance - d.min()) < 1e-6


def test_a_far_point_and_a_tie_go_to_the_first_read():
    grid = Grid(Points(np.array([5000.0, 3000.0, 7000.0]), np.array([0.0, 0.0, 0.0]), ["a"] * 3))
    assert grid.nearest(5000.0, 2500.0)[0] == 0  # several cells away
    assert grid.nearest(5000.0, 0.0)[0] == 0
    assert grid.nearest(6000.0, 0.0)[0] == 0  # 1 km from 0 and from 2: the first read


def test_names_in_use_are_kept_and_latin_roman_names_dropped():
    assert names_of({"NAME1": "Market Jew", "NAME2": "Marazion"}) == ["Market Jew", "Marazion"]
    assert names_of({"NAME1": "Cirencester", "NAME2": "Corinivm Roman Town"}) == ["Cirencester"]
    assert names_of({"NAME1": "Margate", "NAME2": ""}) == ["Margate"]


def test_one_row_per_name_and_district_the_largest_kind_kept():
    def place(os_id, name, kind, x):
        return {"ID": os_id, "NAME1": name, "NAME2": "", "LOCAL_TYPE": kind, "X": x, "Y": "170000"}

    places = [
        place("b", "Guildford", "Hamlet", "500000"),
        place("a", "Guildford", "Town", "499000"),
        place("c", "Guildford", "Suburban Area", "150000"),
    ]
    rows = place_rows(places, ["E07000209", "E07000209", "E06000052"])
    assert [r[:3] for r in rows] == [
        ["Guildford", "Suburban Area", "E06000052"],
        ["Guildford", "Town", "E07000209"],
    ]
