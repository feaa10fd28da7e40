"""The words and limits that every surface (Slack, Teams, the console, ``rolebot ask``) and the engine
share, so a question is read the same way wherever it is asked."""

from __future__ import annotations

#: The longest question read. Surfaces refuse a longer one with a note (which also keeps button values
#: small); the engine, asked directly, reads only this much of a pasted essay and says so.
MAX_QUERY_CHARS = 500
#: A question that is only one of these (or starts with one and has one more word) asks for help.
HELP_WORDS = frozenset({"", "help", "?", "-h", "--help", "h", "usage", "examples", "commands"})
#: A question that asks for the next page of the last answer.
MORE_WORDS = frozenset({"more", "tell me more", "go on", "continue", "next", "next page", "show more"})
