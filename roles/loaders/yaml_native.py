"""The native YAML format: roles written by hand (see README, "Role documents").

One role per file (``title``, ``sections`` …) or several under ``roles:``. Every field is checked and
an error names the field by its path (``roles[1].sections[2].kpis[0].name``), so a team can fix a
hand-written file from the one-line message alone.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from core.errors import MalformedDocument, NoRoleContent
from roles.aspects import aspect_for_heading, clean_heading, parse_horizon
from roles.loaders.base import Loader
from roles.loaders.titles import title_from_path
from roles.loaders.yaml_construct import FastConstructMixin
from roles.model import ASPECTS, Goal, Item, Kpi, LoadedDocument, Role, Section, Source

# An anchor ("&name") or alias ("*name"); text such as "R & D" or "*bold*" may match too, which only
# costs speed (the careful loader then runs).
_ANCHOR = re.compile(r"[&*][^\s,\]}]")
_FIRST_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")
_ROLE_KEYS = {"title", "aliases", "link", "summary", "mission", "sections", "level"}
_SECTION_KEYS = {"heading", "aspect", "text", "items", "kpis", "goals", "sections"}
_ITEM_KEYS = {"text", "label", "fields", "children"}
_KPI_KEYS = {"name", "measures", "why", "target", "frequency", "type"}
_GOAL_KEYS = {"horizon_days", "horizon", "heading", "items", "success_indicators"}


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column:column + 1] if line < len(lines) else ""


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses YAML aliases: role files never need them, and nested aliases can
    expand a small file into gigabytes ("billion laughs")."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        """Compose as usual, but stop at the first alias with a MalformedDocument."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise MalformedDocument(f"YAML aliases (*{event.anchor}) are not allowed in role files "
                                    f"(line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


class YamlLoader(Loader):
    """Hand-written roles in rolebot's own YAML schema."""

    format = "yaml"

    def sniff(self, text: str, path: str) -> float:
        """Certain for .yaml/.yml files; likely for text whose top-level keys are ours."""
        if path.lower().endswith((".yaml", ".yml")):
            return 0.95
        head = text[:4000]
        first = next((line for line in head.split("\n") if line.strip() and not line.startswith(("#", "---"))), "")
        if _FIRST_KEY.match(first) and re.search(r"^(roles|sections)\s*:", head, re.MULTILINE):
            return 0.85
        return 0.0

    def load(self, text: str, path: str) -> LoadedDocument:
        """Parse and validate the YAML; a file with neither ``title`` nor ``roles`` is not a role file."""
        # libyaml is ten times faster; the pure-Python loader only runs where an anchor may hide.
        loader = _CAREFUL_LOADER if _has_anchor(text) else _FAST_LOADER
        try:
            data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader either way
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = exc.problem or exc.context
            if mark and _char_at(text, mark.line, mark.column) == "\t":
                # PyYAML's own words ("cannot start any token") do not say what to change.
                problem = "a tab is used for indentation; YAML needs spaces"
            raise MalformedDocument(_one_line(f"invalid YAML{where}: {problem}")) from exc
        except yaml.YAMLError as exc:
            raise MalformedDocument(_one_line(f"invalid YAML: {exc}")) from exc
        except RecursionError as exc:
            raise MalformedDocument("invalid YAML: nested too deeply") from exc
        return document_from_data(data, path, self.format, text)


def _plain_booleans(base: type) -> type:
    """``base`` reading only true/false as booleans: YAML 1.1 also turns yes/no/on/off into True/False,
    so an item "- No" or the alias "NO" (Norway) would be stored as "False"."""
    bool_tag = "tag:yaml.org,2002:bool"
    loader = type(f"PlainBool{base.__name__}", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != bool_tag]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return loader


_CAREFUL_LOADER = _plain_booleans(_NoAliasLoader)
_FAST_LOADER = _plain_booleans(type("FastCSafeLoader", (FastConstructMixin, getattr(yaml, "CSafeLoader", _NoAliasLoader)), {}))


def _has_anchor(text: str) -> bool:
    for match in _ANCHOR.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in " \t\n[{,:-":
            return True
    return False


def document_from_data(data: Any, path: str, fmt: str, text: str = "") -> LoadedDocument:
    """Build a document from parsed native-schema data (YAML, or JSON in the same shape).

    A mapping with none of the schema's keys (``title``, ``roles``, ``sections``), such as a site's
    config file kept beside the roles, is a document that is not a role; ``text`` is kept for it.
    """
    if data is None:
        raise NoRoleContent("YAML document holds no data")
    if isinstance(data, list) and data and all(isinstance(entry, dict) and "title" in entry for entry in data):
        data = {"roles": data}
    if not isinstance(data, dict):
        raise MalformedDocument(f"top level must be a mapping with 'title' or 'roles', not {_kind(data)}")
    if not {"title", "roles", "sections"} & set(data):
        return LoadedDocument(path=path, format=fmt, title=title_from_path(path), text=text)
    link = _opt_str(data, "link", "")
    if "roles" in data:
        raw_roles = data["roles"]
        if not isinstance(raw_roles, list) or not raw_roles:
            raise MalformedDocument("'roles' must be a non-empty list of roles")
        roles = [_role(raw, f"roles[{n}]", path, fmt, link) for n, raw in enumerate(raw_roles)]
        title = _opt_str(data, "title", "") or roles[0].title
    else:
        roles = [_role(data, "", path, fmt, None)]
        title = roles[0].title
    return LoadedDocument(path=path, format=fmt, title=title, roles=roles, link=roles[0].source.link)


def _role(raw: Any, where: str, path: str, fmt: str, default_link: str | None) -> Role:
    _mapping(raw, where or "role", _ROLE_KEYS)
    title = _req_str(raw, "title", where)
    link = _opt_str(raw, "link", where) or default_link or None
    aliases = _str_list(raw.get("aliases", []), _at(where, "aliases"))
    level = _opt_str(raw, "level", where)
    if level and level not in aliases:
        aliases.insert(0, level)
    sections: list[Section] = []
    for key, aspect in (("summary", "summary"), ("mission", "mission")):
        text = _opt_str(raw, key, where)
        if text:
            sections.append(Section(aspect=aspect, heading=key.title(), text=text))
    raw_sections = raw.get("sections", [])
    if not isinstance(raw_sections, list):
        raise MalformedDocument(f"{_at(where, 'sections')} must be a list of sections")
    sections.extend(_section(s, _at(where, f"sections[{n}]"), None) for n, s in enumerate(raw_sections))
    if not sections:
        raise MalformedDocument(f"{_at(where, 'title')} '{title}' has no summary and no sections")
    return Role(title=title, source=Source(path=path, format=fmt, link=link), aliases=aliases, sections=sections)


def _section(raw: Any, where: str, parent_aspect: str | None) -> Section:
    _mapping(raw, where, _SECTION_KEYS)
    heading = _req_str(raw, "heading", where)
    aspect = _opt_str(raw, "aspect", where)
    if aspect and aspect not in ASPECTS:
        raise MalformedDocument(f"{where}.aspect '{aspect}' is not one of: {', '.join(ASPECTS)}")
    aspect = aspect or aspect_for_heading(heading, parent_aspect)
    section = Section(aspect=aspect, heading=clean_heading(heading) or heading, text=_opt_str(raw, "text", where))
    section.items = [_item(i, f"{where}.items[{n}]") for n, i in enumerate(_list(raw, "items", where))]
    section.kpis = [_kpi(k, f"{where}.kpis[{n}]") for n, k in enumerate(_list(raw, "kpis", where))]
    section.goals = [_goal(g, f"{where}.goals[{n}]") for n, g in enumerate(_list(raw, "goals", where))]
    section.subsections = [_section(s, f"{where}.sections[{n}]", aspect)
                           for n, s in enumerate(_list(raw, "sections", where))]
    return section


def _item(raw: Any, where: str) -> Item:
    if isinstance(raw, (str, int, float)):
        return Item(text=str(raw).strip())
    _mapping(raw, where, _ITEM_KEYS)
    label = _opt_str(raw, "label", where)
    text = _opt_str(raw, "text", where) or label
    if not text:
        raise MalformedDocument(f"{where} needs 'text' (or 'label')")
    fields = raw.get("fields", {})
    if not isinstance(fields, dict):
        raise MalformedDocument(f"{where}.fields must be a mapping of column name to value")
    return Item(text=text, label=label, fields={str(k): _scalar(v, f"{where}.fields.{k}") for k, v in fields.items()},
                children=_str_list(raw.get("children", []), f"{where}.children"))


def _kpi(raw: Any, where: str) -> Kpi:
    if isinstance(raw, str):
        return Kpi(name=raw.strip(), structured=False)
    _mapping(raw, where, _KPI_KEYS)
    return Kpi(name=_req_str(raw, "name", where), **{k: _opt_str(raw, k, where) for k in _KPI_KEYS - {"name"}})


def _goal(raw: Any, where: str) -> Goal:
    _mapping(raw, where, _GOAL_KEYS)
    horizon = raw.get("horizon_days", raw.get("horizon"))
    if isinstance(horizon, str):
        horizon = int(horizon) if horizon.strip().isdigit() else parse_horizon(horizon)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon <= 0:
        raise MalformedDocument(f"{where}.horizon_days must be a positive number of days (e.g. 30, 60, 90)")
    heading = _opt_str(raw, "heading", where) or f"{horizon}-day goals"
    return Goal(horizon_days=horizon, heading=heading, items=_str_list(raw.get("items", []), f"{where}.items"),
                success_indicators=_str_list(raw.get("success_indicators", []), f"{where}.success_indicators"))


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- field helpers: each error names the field path ------------------------------------------------

def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), type(value).__name__)


def _mapping(raw: Any, where: str, allowed: set[str]) -> None:
    if not isinstance(raw, dict):
        raise MalformedDocument(f"{where} must be a mapping, not {_kind(raw)}")
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        hint = " - put text containing ': ' in quotes" if len(raw) == 1 else ""
        raise MalformedDocument(f"{where}: unknown field '{unknown[0]}' (allowed: {', '.join(sorted(allowed))}){hint}")


def _scalar(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise MalformedDocument(f"{where} must be text, not {_kind(value)}")
    return str(value).strip()


def _req_str(raw: dict, key: str, where: str) -> str:
    value = _scalar(raw.get(key), _at(where, key))
    if not value:
        raise MalformedDocument(f"{_at(where, key)} is required")
    return value


def _opt_str(raw: dict, key: str, where: str) -> str:
    return _scalar(raw.get(key), _at(where, key))


def _list(raw: dict, key: str, where: str) -> list:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise MalformedDocument(f"{where}.{key} must be a list, not {_kind(value)}")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    if not isinstance(value, list):
        raise MalformedDocument(f"{where} must be a list of text, not {_kind(value)}")
    return [_scalar(v, f"{where}[{n}]") for n, v in enumerate(value) if _scalar(v, f"{where}[{n}]")]
