"""Boundaries: the make boundaries step, the validator's checks, and areas versus points."""

import json
import shutil

import pytest

from generator.boundaries import GEO_FILE, load_boundaries, make_boundaries, neighbours
from generator.build import build_site, validate
from generator.load import load_data
from generator.site_maps import map_tiles
from generator.validate import check_data
from tests.conftest import REAL_DATA, ROOT, make_data

REAL_GEO = REAL_DATA / GEO_FILE


def square(x, y, code, key="ICB22CD"):
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {key: code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write_geo(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_real_boundary_file_is_small_and_keyed_by_ons_code():
    assert REAL_GEO.stat().st_size <= 350 * 1024
    data = json.loads(REAL_GEO.read_text())
    codes = [f["properties"]["ons_code"] for f in data["features"]]
    assert len(codes) == len(set(codes)) == 42
    assert all(code.startswith("E54") for code in codes)


def test_make_boundaries_reproduces_the_committed_file(tmp_path):
    target = make_boundaries(str(REAL_GEO), tmp_path)
    assert target.read_bytes() == REAL_GEO.read_bytes()


def test_simplifying_keeps_shared_borders_shared(tmp_path):
    src = write_geo(
        tmp_path / "in.geojson", [square(0, 50, "E54000001"), square(1, 50, "E54000002")]
    )
    make_boundaries(str(src), tmp_path / "data", tolerance=0.01)
    areas = load_boundaries(tmp_path / "data", [])
    assert sorted(areas) == ["E54000001", "E54000002"]
    assert neighbours(areas) == {"E54000001": {"E54000002"}, "E54000002": {"E54000001"}}


def test_a_feature_without_a_code_is_refused(tmp_path):
    from generator.errors import DataErrors

    bad = square(0, 50, "x")
    bad["properties"] = {"name": "nameless"}
    src = write_geo(tmp_path / "in.geojson", [bad])
    with pytest.raises(DataErrors) as caught:
        make_boundaries(str(src), tmp_path / "data")
    assert [(e.line, e.field) for e in caught.value.errors] == [(1, "properties")]


def test_real_neighbours_are_symmetric():
    found = neighbours(load_boundaries(REAL_DATA, []))
    assert all(a in found[b] for a, near in found.items() for b in near)
    assert found["E54000036"] == {"E54000037"}  # Cornwall touches only Devon


def test_validator_wants_an_area_for_every_current_icb_and_a_system_for_every_area(tmp_path):
    data = make_data(tmp_path / "data")
    (data / "geo").mkdir()
    codes = ["E54000048", "E54000034", "E54000999"]
    write_geo(
        data / GEO_FILE, [square(i, 50, code, key="ons_code") for i, code in enumerate(codes)]
    )
    errors = check_data(load_data(data))
    assert [(e.path.rstrip("/").split("/")[-1], e.line, e.field, e.code) for e in errors] == [
        ("geo", 0, "ons_code", "foreign-key"),
        ("systems.csv", 4, "ons_code", "no-boundary"),
    ]


def map_settings(html: str) -> dict:
    """The settings a map page passes to map.js: its areas, points, bounds and legend."""
    start = html.index("window.atlasDraw(")
    start = html.index(", ", start) + 2
    return json.JSONDecoder().raw_decode(html, start)[0]


def test_maps_fall_back_to_points_without_a_boundary_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    shutil.rmtree(data / "geo")
    build_site(data, tmp_path / "site")
    settings = map_settings((tmp_path / "site" / "maps" / "england.html").read_text())
    assert settings["areas"] == []
    assert len(settings["points"]) == len(validate(REAL_DATA).current_systems())
    assert not (tmp_path / "site" / "assets" / "geo").exists()


def test_maps_draw_areas_from_the_shared_boundary_files(real_site):
    settings = map_settings((real_site / "maps" / "england.html").read_text())
    assert len(settings["areas"]) == len(validate(REAL_DATA).current_systems())
    assert settings["points"] == []
    for area in settings["areas"]:
        shared = json.loads((real_site / "assets" / "geo" / f"{area['vintage']}.json").read_text())
        assert area["code"] in {f["properties"]["code"] for f in shared["features"]}
    page = (real_site / "systems" / "cornwall-and-the-isles-of-scilly" / "map.html").read_text()
    assert '"coordinates"' not in page, "a map page carries ids, not geometry"
    hrefs = [a["href"] for a in map_settings(page)["areas"]]
    assert sorted(hrefs) == ["../devon/", "./"]  # itself and its one neighbour


def test_no_tiles_unless_configured(tmp_path):
    assert map_tiles(ROOT / "mkdocs.yml") is None
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "extra:\n  map_tiles:\n    url: https://t.example/{z}/{x}/{y}.png\n"
        "    attribution: Example tiles\n"
    )
    assert map_tiles(config) == {
        "url": "https://t.example/{z}/{x}/{y}.png",
        "attribution": "Example tiles",
    }
