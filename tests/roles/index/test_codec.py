"""The stored form of a role: sectioned JSON arrays that read back to the same role (each section's
content parsed only when read), roles stored packed or as JSON objects before still read, and what
orjson refuses goes through the json module."""

from __future__ import annotations

import json
import zlib
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roles.index.codec import PACKED_FIELDS, role_from_blob, role_to_blob, role_to_json, sections_from_blob
from roles.index.stored_section import StoredSection
from roles.model import Goal, Item, Kpi, Role, Section, Source

TRICKY = ["", "plain", 'quote " and \\ backslash', "line\nbreak\ttab\r", "\x00\x01\x1f\x7f control",
          "\u2028\u2029 separators", "</script> & <b>", "é ß 東京 🚀 \U0010fffd", "\ufeff bom", "/slash/"]


def _role(texts: list[str], number: int = 30, structured: bool = True, link: str | None = None) -> Role:
    first, *rest = texts or [""]
    return Role(
        title=first, source=Source(path=f"{first}.md", format="markdown", link=link), aliases=list(rest),
        sections=[Section(
            aspect="kpis", heading=first, text=" ".join(texts),
            items=[Item(text=t, label=first, fields={t: first, "k": t}, children=list(texts)) for t in texts],
            kpis=[Kpi(name=t, measures=first, target=t, structured=structured) for t in texts],
            goals=[Goal(horizon_days=number, heading=first, items=list(texts), success_indicators=[first])],
            subsections=[Section(aspect="summary", heading=t) for t in texts],
        )],
        origin=first,
    )


@pytest.mark.parametrize("link", [None, "https://example.com/a?b=c&d"])
def test_a_role_reads_back_from_its_stored_form(link: str | None) -> None:
    role = _role(TRICKY, number=2**53, structured=False, link=link)
    stored = zlib.decompress(role_to_blob(role))
    assert stored.startswith(b"[") and b'"title"' not in stored  # packed: values without their keys
    back = role_from_blob(role_to_blob(role))
    assert back == role and back.origin == role.origin


def _packed(value: Any) -> Any:
    """A value as roles were stored before sections were stored apart: arrays in the fields' order."""
    if is_dataclass(value):
        return [_packed(getattr(value, f.name)) for f in fields(value) if f.name in PACKED_FIELDS[type(value)]]
    if isinstance(value, list):
        return [_packed(v) for v in value]
    return value


def _blob(role: Role, stored_as: str) -> bytes:
    if stored_as == "sectioned":
        return role_to_blob(role)
    if stored_as == "packed":
        return zlib.compress(json.dumps(_packed(role), ensure_ascii=False).encode("utf-8"))
    return zlib.compress(role_to_json(role).encode("utf-8"))


def test_roles_stored_packed_before_still_read() -> None:
    role = _role(TRICKY, link="https://example.com/")
    back = role_from_blob(_blob(role, "packed"))
    assert back == role and back.origin == role.origin


def test_roles_stored_as_json_objects_before_still_read() -> None:
    role = _role(TRICKY, link="https://example.com/")
    back = role_from_blob(zlib.compress(role_to_json(role).encode("utf-8")))
    assert back == role and back.origin == role.origin


#: Paths into _role(TRICKY): the top section, a sub-section, and paths the role does not have.
PATHS = [(0,), (0, 3), (0, len(TRICKY)), (1,), (0, 0, 0), ()]


@pytest.mark.parametrize("stored_as", ["sectioned", "packed", "object"])
def test_sections_read_alone_equal_the_sections_of_the_whole_role(stored_as: str) -> None:
    role = _role(TRICKY, link="https://example.com/")
    found = sections_from_blob(_blob(role, stored_as), PATHS)
    assert found == {path: role.section_at(path) for path in PATHS}
    assert found[(0,)] == role.sections[0] and found[(0, 3)] == role.sections[0].subsections[3]
    assert [found[p] for p in PATHS[2:]] == [None] * 4


def test_the_packed_arrays_follow_the_dataclasses_field_order() -> None:
    # The arrays are passed to the dataclasses positionally: a field moved or inserted in the model would
    # shift every value after it.
    for cls, names in PACKED_FIELDS.items():
        assert tuple(f.name for f in fields(cls)) == names, cls.__name__


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(text, max_size=4), number=st.integers(-(2**63), 2**64 - 1), structured=st.booleans())
def test_any_role_reads_back_from_its_stored_form(texts: list[str], number: int, structured: bool) -> None:
    role = _role(texts, number, structured)
    stored = zlib.decompress(role_to_blob(role))
    # orjson writes what the json module would: the fallback below stores the same text.
    assert stored == json.dumps(json.loads(stored), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert role_from_blob(role_to_blob(role)) == role


def test_what_orjson_refuses_is_written_by_the_json_module() -> None:
    huge = _role(["Engineer"], number=2**70)  # beyond orjson's 64-bit integers
    assert role_from_blob(role_to_blob(huge)) == huge
    keyed = _role(["Engineer"])
    keyed.sections[0].items[0].fields = {1: "one"}  # a non-string key: json writes "1"
    assert role_from_blob(role_to_blob(keyed)).sections[0].items[0].fields == {"1": "one"}


def test_a_lone_surrogate_fails_as_it_did_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        role_to_blob(_role(["bad \ud800 text"]))


def _goal_role() -> Role:
    return Role(title="Engineer", source=Source(path="e.md", format="markdown"), sections=[
        Section("summary", "About", text="Builds things."),
        Section("kpis", "KPIs", kpis=[Kpi("Lead time", target="< 2 days")]),
        Section("goals", "Plan", subsections=[
            Section("goals", "First 30 days", goals=[Goal(30, "First 30 days", ["Ship a fix"], ["Merged"])]),
            Section("goals", "First 60 days", text="On call.", goals=[Goal(60, "First 60 days", ["Own a service"])]),
        ]),
        Section("skills", "Skills", items=[Item("Python", label="Languages", fields={"level": "fluent"})]),
    ])


def test_a_section_is_parsed_when_first_read_and_only_sections_with_goals_for_the_goals() -> None:
    role = _goal_role()
    back = role_from_blob(role_to_blob(role))
    sections = list(back.walk())
    assert all(isinstance(s, StoredSection) and not s.parsed for s in sections)
    assert [s.heading for s in sections] == ["About", "KPIs", "Plan", "First 30 days", "First 60 days", "Skills"]
    assert back.goals() == role.goals()
    assert [s.heading for s in sections if s.parsed] == ["First 30 days", "First 60 days"]
    # Empty fields of an unparsed section read as empty without parsing it.
    assert back.sections[0].items == [] and back.sections[3].text == "" and not back.sections[3].parsed
    first = back.sections[2].subsections[0]
    assert first.text == "" and first.goals[0].items == ["Ship a fix"]
    # Parsed once: every read gives the same objects.
    assert first.goals is back.sections[2].subsections[0].goals and first.goals[0] is first.goals[0]
    assert back.sections[1].kpis == [Kpi("Lead time", target="< 2 days")] and back.sections[1].parsed


def test_a_stored_section_equals_the_section_it_was_stored_from_either_way_round() -> None:
    role = _goal_role()
    back = role_from_blob(role_to_blob(role))
    for original, stored in zip(role.walk(), back.walk(), strict=True):
        assert stored == original and original == stored and not (stored != original)
    changed = _goal_role()
    changed.sections[3].items[0].fields["level"] = "learning"
    assert back.sections[3] != changed.sections[3] and changed.sections[3] != back.sections[3]
    assert back != changed and back == role
    assert repr(back.sections[1]) == repr(role.sections[1])


def test_fields_set_on_a_stored_section_are_kept() -> None:
    back = role_from_blob(role_to_blob(_goal_role()))
    section = back.sections[0]
    section.items = [Item("Added")]
    section.text = "Rewritten."
    assert section.items == [Item("Added")] and section.text == "Rewritten." and section.kpis == []
