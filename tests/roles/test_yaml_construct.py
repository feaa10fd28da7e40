"""The plain construction pass builds exactly what PyYAML's SafeConstructor builds, or lets it."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roles.loaders.yaml_construct import MAX_DEPTH, FastConstructMixin

BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST = type("FastLoader", (FastConstructMixin, BASE), {})


def _outcome(text: str, loader: type) -> tuple:
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - safe loaders
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("data", repr(data), _types(data))


def _types(data: object) -> object:
    if isinstance(data, dict):
        return {repr(k): (type(k).__name__, _types(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_types(v) for v in data]
    return type(data).__name__


DOCUMENTS = [
    "title: Engineer\nsections:\n  - heading: Goals\n    items: [a, b, 'c']\n",
    "n: 1\nf: 1.5\nz: ~\nb: true\nno: No\nd: 2026-01-02\nt: 2026-01-02 10:00:00\nhex: 0x1F\nexp: 1e3\ninf: .inf\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "s: !!str 123\nset: !!set {a, b}\nomap: !!omap [{a: 1}, {b: 2}]\npairs: !!pairs [{a: 1}]\nbin: !!binary aGk=\n",
    "? [a, b]\n: unhashable\n",
    "? {a: 1}\n: unhashable\n",
    "x: !!python/object:os.system ls\n",
    "x: !custom tag\n",
    "x: !!map scalar\n",
    "dup: 1\ndup: 2\n",
    "1: int key\n2.5: float key\nnull: null key\n",
    "shared: &s [1, 2]\nagain: *s\n",
    "= : value key\n",
    "- a\n- - b\n  - c: d\n",
    "",
    "just a string",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_build_as_safe_constructor_builds_them(text: str) -> None:
    assert _outcome(text, FAST) == _outcome(text, BASE)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH + 1, 3 * MAX_DEPTH])
def test_deep_nesting_builds_the_same(depth: int) -> None:
    text = "[" * depth + "x" + "]" * depth
    assert _outcome(text, FAST) == _outcome(text, BASE)


def test_a_node_used_twice_is_left_to_safe_constructor() -> None:
    data = yaml.load("a: &x [1, {b: 2}]\nc: *x\n", Loader=FAST)  # noqa: S506
    assert data == {"a": [1, {"b": 2}], "c": [1, {"b": 2}]} and data["a"] is data["c"]  # shared, as PyYAML does


SCALARS = st.sampled_from(["x", "1", "1.5", "~", "true", "No", "2026-01-02", "'q'", '"d"', "!!str 7", "!!int 7",
                           "[]", "{}", "[a, {b: c}]", "<<", "=", "0o17", ".nan", "!!float 1"])
KEYS = st.sampled_from(["a", "b", "1", "null", "[k]", "'a'", "2026-01-02", "<<"])


@st.composite
def _yaml(draw: st.DrawFn, depth: int = 0) -> str:
    indent = "  " * depth
    kind = draw(st.sampled_from(["map", "seq", "scalar"] if depth < 4 else ["scalar"]))
    if kind == "scalar":
        return " " + draw(SCALARS) + "\n"
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        head = f"{draw(KEYS)}:" if kind == "map" else "-"
        lines.append(f"{indent}{head}{draw(_yaml(depth + 1))}")
    return ("\n" if depth else "") + "".join(lines)  # a nested collection starts on the next line


@settings(max_examples=300, deadline=None)
@given(text=_yaml())
def test_random_yaml_builds_as_safe_constructor_builds_it(text: str) -> None:
    assert _outcome(text, FAST) == _outcome(text, BASE)
