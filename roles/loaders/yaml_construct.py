"""Plain YAML data built from libyaml's node tree in one recursive pass.

PyYAML's C loader parses and composes in C, but builds the Python objects in its pure-Python
``SafeConstructor``: a call chain, a generator and a cache entry per node, two thirds of a role file's
load time. Role files are strings, lists and mappings: :class:`FastConstructMixin` builds those itself
and hands every other node (numbers, dates, null, explicit tags) to ``SafeConstructor``'s own function
for its tag, so the result is the same. Whatever the plain pass does not cover (merge keys, sets, a
node used twice, nesting deeper than :data:`MAX_DEPTH`, an unhashable key, a collection with a scalar's
tag) goes to ``SafeConstructor`` whole, which builds it, or raises, as it always did.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
#: Scalar tags whose SafeConstructor function returns the value at once (no generator to run later).
_SCALARS = {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp", "binary")}
#: Deeper data goes to SafeConstructor, which builds it without recursion.
MAX_DEPTH = 100


class _NotPlain(Exception):
    """The node tree holds something the plain pass leaves to SafeConstructor."""


class FastConstructMixin:
    """For a ``yaml.SafeLoader``-like class (listed before it): ``construct_document`` with a plain pass."""

    def construct_document(self, node: Node) -> Any:
        try:
            return self._plain(node, 0, set())
        except _NotPlain:
            pass
        finally:
            self.constructed_objects = {}
        return super().construct_document(node)

    def _plain(self, node: Node, depth: int, seen: set[int]) -> Any:
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _STR:
                return node.value
            if tag not in _SCALARS:
                raise _NotPlain
            try:
                return self.construct_object(node)
            except Exception:  # noqa: BLE001 - SafeConstructor raises it again, in its own order
                raise _NotPlain from None
        if depth >= MAX_DEPTH or id(node) in seen:
            raise _NotPlain
        seen.add(id(node))
        if tag == _SEQ and isinstance(node, SequenceNode):
            return [self._plain(child, depth + 1, seen) for child in node.value]
        if tag == _MAP and isinstance(node, MappingNode):
            data = {}
            for key_node, value_node in node.value:
                if key_node.tag in _SPECIAL_KEYS:
                    raise _NotPlain
                key = self._plain(key_node, depth + 1, seen)
                try:
                    hash(key)
                except TypeError:  # an unhashable key: SafeConstructor says where
                    raise _NotPlain from None
                data[key] = self._plain(value_node, depth + 1, seen)
            return data
        raise _NotPlain
