"""Helpers for Teams card tests: the shipped Adaptive Cards 1.5 schema, card texts, comparable words."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parent / "schemas" / "adaptive-card-1.5.schema.json"
_WORD = re.compile(r"[^\W_]+")


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def assert_valid_card(card: dict[str, Any]) -> None:
    """The card passes the Adaptive Cards 1.5 schema shipped in tests/handlers/teams/schemas and fits Teams' 28 KB."""
    _validator().validate(card)
    assert len(json.dumps(card, ensure_ascii=False).encode()) < 28_000


def texts_of(card: dict[str, Any]) -> list[str]:
    """Every text a card shows (TextRuns, FactSet facts, input labels, button titles), in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "TextRun":
                found.append(node["text"])
            elif kind in ("Action.Execute", "Action.Submit"):
                found.append(f"[{node['title']}]")
            elif kind == "FactSet":
                found.extend(f"{fact['title']}: {fact['value']}" for fact in node["facts"])
            elif kind == "Input.Text":
                found.append(node.get("label", ""))
            for key, value in node.items():
                if key != "data":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def words(text: str) -> set[str]:
    """The words of ``text``, lower-cased (markup and punctuation dropped) to compare what two renderings say."""
    return {w.lower() for w in _WORD.findall(text)}
