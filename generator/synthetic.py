"""Synthetic data for the benchmark: the real data folder copied ``scale`` times over.

Copy 0 is the data as it is; each further copy renames every id (``frimley`` becomes
``frimley-x3``) and every ODS and ONS code, so the copies are distinct systems,
organisations and boundaries that pass every check. Sources, regions and the national
reference tables (postcodes, districts, place names) are shared, not copied. Rows are
shuffled with a seeded generator, so the output is the same for the same seed, and no stage
can rely on the order of the rows.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from pathlib import Path

import yaml

from generator.cells import id_list, join_ids

SHARED = {
    "sources",
    "regions",
    "postcode_sectors",
    "lad_boards",
    "place_names",
    "case_study_figures",
}
# Cells of a copied table that hold ids of copied rows but are not declared foreign keys.
ID_FIELDS = {"former_ids", "successor_ids"}
_GSS = re.compile(r"^(E54|E40|E0[6-9])00(\d{4})$")
_ODS = re.compile(r"^[A-Z0-9]{3,5}$")


def write_synthetic(source: Path, target: Path, scale: int, seed: int = 1) -> None:
    """Write a data folder ``scale`` times the size of ``source`` into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    package = yaml.safe_load((source / "schemas" / "datapackage.yaml").read_text("utf-8"))
    rng = random.Random(seed)
    for resource in package["resources"]:
        if resource["name"] in SHARED:
            continue
        schema = json.loads((source / resource["schema"]).read_text("utf-8"))
        renamed = _renamed_fields(schema, resource["name"])
        if resource.get("flatten"):
            _copy_yaml_folder(source / resource["path"], target / resource["path"], scale)
        else:
            _copy_csv(source / resource["path"], target / resource["path"], renamed, scale, rng)
    for geo in sorted((source / "geo").glob("*.geojson")):
        _copy_boundaries(geo, target / "geo" / geo.name, scale)


def _renamed_fields(schema: dict, name: str) -> set[str]:
    """The fields whose values name rows of copied tables, so each copy renames them."""
    keys = schema.get("primaryKey", [])
    fields = {keys} if isinstance(keys, str) else set(keys) & {"id"}
    for key in schema.get("foreignKeys", []):
        if key["reference"]["resource"] not in SHARED:
            fields.add(key["fields"])
    if name == "codes":
        fields.add("entity_id")
    return fields | (ID_FIELDS & {f["name"] for f in schema["fields"]})


def rename_id(value: str, copy: int) -> str:
    if not value or copy == 0:
        return value
    return join_ids(f"{part}-x{copy}" for part in id_list(value))


def rename_code(value: str, copy: int) -> str:
    """A code unique to the copy: E54000040 becomes E54030040 in copy 3, QOX becomes QOX03."""
    if not value or copy == 0:
        return value
    gss = _GSS.match(value)
    if gss:
        return f"{gss[1]}{copy:02d}{gss[2]}"
    if _ODS.match(value):
        return f"{value[:3]}{copy:02d}"
    return value


def _copy_csv(source: Path, target: Path, renamed: set[str], scale: int, rng) -> None:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    out = []
    for copy in range(scale):
        for row in rows:
            if copy and row.get("entity_type") == "region":
                continue  # regions are shared, and so are their codes
            out.append(_renamed_row(row, renamed, copy))
    rng.shuffle(out)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(out)
    target.write_text(buffer.getvalue(), encoding="utf-8")


def _renamed_row(row: dict, renamed: set[str], copy: int) -> dict:
    new = dict(row)
    for name in renamed & new.keys():
        new[name] = rename_id(new[name], copy)
    for name in ("ods_code", "ons_code", "code"):
        if name in new:
            new[name] = rename_code(new[name], copy)
    return new


def _copy_yaml_folder(source: Path, target: Path, scale: int) -> None:
    for path in sorted(source.glob("*.yaml")):
        record = yaml.safe_load(path.read_text("utf-8"))
        for copy in range(1, scale):
            new = dict(record, id=rename_id(record["id"], copy))
            new["systems"] = [rename_id(s, copy) for s in record["systems"]]
            text = yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=100)
            (target / f"{new['id']}.yaml").write_text(text, encoding="utf-8")


def _copy_boundaries(source: Path, target: Path, scale: int) -> None:
    collection = json.loads(source.read_text("utf-8"))
    features = collection["features"]
    collection["features"] = [
        {
            **f,
            "properties": {
                **f["properties"],
                "ons_code": rename_code(f["properties"]["ons_code"], c),
            },
        }
        for c in range(scale)
        for f in features
    ]
    target.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
