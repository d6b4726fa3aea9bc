from pathlib import Path

import pytest

from generator.errors import DataErrors
from generator.load import load_data
from tests.conftest import make_data


def test_rows_keep_their_file_lines(tmp_path):
    raw = load_data(make_data(tmp_path / "data"))
    systems = raw.tables["systems"]
    assert [row["ods_code"] for row in systems.rows] == ["QE1", "QNQ", "QNX"]
    assert [line for _, line in systems.origins] == [2, 3, 4]
    assert systems.path.endswith("data/systems.csv")


def test_every_listed_dataset_is_read(tmp_path):
    raw = load_data(make_data(tmp_path / "data"))
    listed = [resource["name"] for resource in raw.package["resources"]]
    assert sorted(raw.tables) == sorted(listed)
    assert {"sources", "regions", "systems", "events"} <= set(listed)
    assert all(table.rows for table in raw.tables.values())


def test_missing_file_is_a_data_error(tmp_path):
    data = make_data(tmp_path / "data")
    (data / "regions.csv").unlink()
    with pytest.raises(DataErrors) as caught:
        load_data(data)
    assert [(Path(e.path).name, e.code) for e in caught.value.errors] == [
        ("regions.csv", "missing-file")
    ]


def test_yaml_is_loaded_safely(tmp_path):
    data = make_data(tmp_path / "data")
    (data / "atlas.yaml").write_text("title: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(DataErrors) as caught:
        load_data(data)
    [error] = caught.value.errors
    assert (Path(error.path).name, error.line, error.code) == ("atlas.yaml", 1, "yaml")


def test_non_utf8_csv_is_refused(tmp_path):
    data = make_data(tmp_path / "data")
    (data / "regions.csv").write_bytes("id,name\nx,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataErrors) as caught:
        load_data(data)
    assert [e.code for e in caught.value.errors] == ["encoding"]
