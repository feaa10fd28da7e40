"""Block Kit as plain text, so the local console shows exactly what the Slack app would send."""

from __future__ import annotations

import re
from typing import Any

from handlers.slack.blocks.parts import unescape

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_MENTION = re.compile(r"<@([A-Za-z0-9]+)>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


def mrkdwn_to_text(text: str) -> str:
    """Slack mrkdwn as terminal text: links as ``label (url)``, mentions as ``@U…``, entities decoded."""
    text = _LINK.sub(r"\2 (\1)", text)
    text = _MENTION.sub(r"@\1", text)
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
    return unescape(text)


def _text_of(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    return mrkdwn_to_text(obj.get("text", "")) if obj.get("type") == "mrkdwn" else obj.get("text", "")


def _element_text(element: dict[str, Any]) -> str:
    if element.get("type") in ("button", "static_select", "overflow"):
        return f"[{_text_of(element.get('text') or element.get('placeholder'))}]"
    return _text_of(element)


def blocks_to_text(blocks: list[dict[str, Any]], numbered_buttons: bool = False) -> str:
    """Render blocks as lines of text.

    With ``numbered_buttons``, buttons are shown as ``[1] Label`` in order, so a console user can
    pick one by number (see :func:`buttons_of`).
    """
    out: list[str] = []
    number = 0
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"))
            out += ["", title, "=" * min(len(title), 80)]
        elif kind == "section":
            if block.get("text"):
                out.append(_text_of(block["text"]))
            fields = [_text_of(f).replace("\n", ": ", 1) for f in block.get("fields", [])]
            if fields:
                out.append("    " + " | ".join(fields))
        elif kind == "context":
            out.append("  " + " · ".join(_element_text(e) for e in block.get("elements", [])))
        elif kind == "divider":
            out.append("-" * 40)
        elif kind == "actions":
            labels = []
            for element in block.get("elements", []):
                if numbered_buttons and element.get("type") == "button":
                    number += 1
                    labels.append(f"[{number}] {_text_of(element.get('text'))}")
                else:
                    labels.append(_element_text(element))
            out.append("  " + "  ".join(labels))
    return "\n".join(out).strip("\n")


def buttons_of(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of the blocks, in the order :func:`blocks_to_text` numbers them."""
    return [
        element
        for block in blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
