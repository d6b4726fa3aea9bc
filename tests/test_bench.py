"""What make bench relies on: synthetic data that passes every check, and builds that skip
work whose inputs did not change. The timings themselves are measured, never asserted."""

from __future__ import annotations

import hashlib
import shutil

from generator.bench import format_results
from generator.build import STAMP, build_site, validate
from generator.synthetic import rename_code, rename_id, write_synthetic
from tests.conftest import REAL_DATA, make_data


def tree(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_ten_times_the_data_passes_every_check(tmp_path):
    write_synthetic(REAL_DATA, tmp_path / "x10", 10)
    real, big = validate(REAL_DATA), validate(tmp_path / "x10")
    assert len(big.systems) == 10 * len(real.systems)
    assert len(big.organisations) == 10 * len(real.organisations)
    assert len(big.memberships) == 10 * len(real.memberships)
    assert len(big.case_studies) == 10 * len(real.case_studies)
    assert len(big.boundaries) == 10 * len(real.boundaries)
    assert len(big.current_systems()) == 10 * len(real.current_systems())
    assert big.sources.keys() == real.sources.keys()  # shared, not copied


def test_synthetic_data_is_the_same_for_the_same_seed(tmp_path):
    write_synthetic(REAL_DATA, tmp_path / "a", 2, seed=7)
    write_synthetic(REAL_DATA, tmp_path / "b", 2, seed=7)
    write_synthetic(REAL_DATA, tmp_path / "c", 2, seed=8)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert tree(tmp_path / "a") != tree(tmp_path / "c")


def test_each_copy_has_its_own_ids_and_codes():
    assert rename_id("frimley", 0) == "frimley"
    assert rename_id("frimley;sussex", 3) == "frimley-x3;sussex-x3"
    assert rename_code("E54000040", 3) == "E54030040"
    assert rename_code("QOX", 12) == "QOX12"
    assert rename_code("QOX", 0) == "QOX"


def test_an_unchanged_build_does_nothing_and_a_changed_row_rebuilds(tmp_path):
    data, out = make_data(tmp_path / "data"), tmp_path / "site"
    assert build_site(data, out) is not None
    assert (out / STAMP).is_file()
    before = tree(out)
    assert build_site(data, out) is None
    assert tree(out) == before
    systems = data / "systems.csv"
    text = systems.read_text(encoding="utf-8")
    first_row = text.splitlines()[1]
    systems.write_text(text.replace(first_row, first_row.replace(",", ", ", 1), 1), "utf-8")
    assert build_site(data, out) is not None
    assert tree(out) != before


def test_a_deleted_site_is_built_again(tmp_path):
    data, out = make_data(tmp_path / "data"), tmp_path / "site"
    build_site(data, out)
    shutil.rmtree(out)
    assert build_site(data, out) is not None
    assert (out / "index.html").is_file()


def test_results_print_as_one_figure_a_line():
    text = format_results({"cold_real": {"seconds": 4.2}, "scale": {"exponent_1x_10x": 0.9}})
    assert text.splitlines() == ["cold_real.seconds      4.2", "scale.exponent_1x_10x  0.9"]


def test_bare_frictionless_reads_every_row_of_every_csv(tmp_path):
    from generator.bench import bare_frictionless

    data = make_data(tmp_path / "data")
    catalog = validate(data)
    csv_rows = sum(
        len(t.rows) for t in catalog.tables.values() if t.descriptor["path"].endswith(".csv")
    )
    assert bare_frictionless(str(data)) == csv_rows > 0
