"""A strict YAML reader for data files that people edit by hand.

It is PyYAML's safe loader with four changes:
- no anchors or aliases, so an "alias bomb" cannot blow up;
- a key given twice is an error, not silently the last value;
- scalars follow YAML 1.2's core schema: ``yes``, ``no``, ``on`` and ``off`` stay text, and
  ``12:30`` is not a number in base 60;
- dates stay text, so an impossible date such as 2019-02-30 is reported by the checks with its
  line rather than crashing the reader.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from generator.errors import DataError


class _StrictLoader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ComposerError(
                None, None, "anchors (&name) and aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool | type(None)):
                raise ConstructorError(
                    None, None, "a key must be a plain word", key_node.start_mark
                )
            if key in seen:
                raise ConstructorError(
                    None,
                    None,
                    f'the key "{key}" is given twice (first on line {seen[key]})',
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


_CORE_SCHEMA = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]
for _tag, _pattern, _first in _CORE_SCHEMA:
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def parse_yaml(text: str, shown: str, errors: list[DataError]):
    """(value, root node) of one YAML document, or None after adding the error found."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node else None), node
    except yaml.YAMLError as exc:
        errors.append(_yaml_error(exc, shown))
    except RecursionError:
        errors.append(
            DataError(shown, 0, "-", "yaml", "the YAML is nested too deeply", "flatten it")
        )
    finally:
        loader.dispose()
    return None


def _yaml_error(exc: yaml.YAMLError, shown: str) -> DataError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    hint = "check the indentation and quoting on this line or the one before"
    if "\\t" in problem or "\t" in problem:
        hint = "indent with spaces, not tabs"
    elif "tag" in problem:
        hint = "tags such as !!python are not allowed; write plain values"
    elif "twice" in problem:
        hint = "remove one of the two, or rename it"
    elif "alias" in problem:
        hint = "write each value out in full"
    return DataError(
        shown, mark.line + 1 if mark else 0, "-", "yaml", f"invalid YAML: {problem}", hint
    )


def key_lines(node) -> dict[tuple, int]:
    """The line of each top-level key, of each item of each top-level list, and of each key
    of a mapping in such a list: ("figures", 0, "value") -> 15."""
    found: dict[tuple, int] = {}
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        found[(key.value,)] = key.start_mark.line + 1
        for index, item in enumerate(value.value if isinstance(value, yaml.SequenceNode) else []):
            found[(key.value, index)] = item.start_mark.line + 1
            for inner, _ in item.value if isinstance(item, yaml.MappingNode) else []:
                found[(key.value, index, inner.value)] = inner.start_mark.line + 1
    return found
