"""The local console: type ``/role …`` and read the answer as text, rendered from the very Block Kit
the Slack app would send (``handlers.slack.blocks.text``), with no Slack tokens needed.

Buttons show as ``[1] Share in channel  [2] Show more …``: type a number to press one, or ``more``
for the next page. ``quit``, ``exit`` or end of input leaves. Piped input works: one query per line.
"""

from __future__ import annotations

from typing import Any, TextIO

from handlers.context import AppContext
from handlers.shared import MORE_ACTION, SHARE_ACTION, parse_button_value, whole_number
from handlers.slack.blocks.answer import render_answer
from handlers.slack.blocks.text import blocks_to_text, buttons_of
from handlers.slack.role_command import ONBOARDING_SUBCOMMANDS, reply, subcommand
from roles.answer.asking import Asker

QUIT = frozenset({"quit", "exit", ":q", "q"})
PROMPT = "/role "
#: The console's user, for "Shared by" lines.
CONSOLE_USER = "you"
#: Who asks in the console, for follow-up questions.
CONSOLE_ASKER = Asker(CONSOLE_USER, "console")


def banner(ctx: AppContext) -> str:
    """The greeting: how many roles are indexed, and a few questions to try."""
    roles = ctx.index.list_roles() if ctx.index.is_ready() else []
    lines = [f"rolebot console: {len(roles)} roles indexed from {ctx.settings.docs_dir}"]
    lines += ["Try:", *(f"  /role {e}" for e in ctx.engine.examples())]
    if not roles:
        lines.append("No roles yet: point ROLEBOT_DOCS (or --docs) at a folder of role documents.")
    lines.append("Type a number to press a button, `more` for the next page, `quit` to leave.")
    return "\n".join(lines)


class Console:
    """One console session: reads queries, writes answers, remembers the last answer's buttons."""

    def __init__(self, ctx: AppContext, out: TextIO):
        self.ctx = ctx
        self.out = out
        self.buttons: list[dict[str, Any]] = []

    def show(self, message: dict[str, Any]) -> None:
        """Write a message as text and keep its buttons for the next input."""
        self.buttons = buttons_of(message["blocks"])
        self.out.write(blocks_to_text(message["blocks"], numbered_buttons=True) + "\n\n")

    def press(self, button: dict[str, Any]) -> None:
        """Do what the Slack app does for a button."""
        parsed = parse_button_value(button.get("value"))
        if parsed is None:
            self.out.write("That button does nothing here.\n\n")
            return
        query, page = parsed
        if button["action_id"] == SHARE_ACTION:
            self.out.write("(In Slack, this posts in the channel:)\n")
            self.show(render_answer(self.ctx.engine.ask(query), page, shared_by=CONSOLE_USER).message())
            return
        self.show(reply(self.ctx, query, page, asker=CONSOLE_ASKER))

    def handle(self, line: str) -> bool:
        """Handle one input line; False when the user asked to quit."""
        text = line.strip()
        if text.lower() in QUIT:
            return False
        if text.lower().startswith("/role"):
            text = text[len("/role"):].strip()
        number = whole_number(text)
        if number is not None and 1 <= number <= len(self.buttons):
            self.press(self.buttons[number - 1])
        elif text.lower() == "more":
            more = [b for b in self.buttons if b["action_id"] == MORE_ACTION]
            if more:
                self.press(more[0])
            else:
                self.out.write("There is no next page.\n\n")
        elif subcommand(text) in ONBOARDING_SUBCOMMANDS:
            self.out.write("Onboarding runs in Slack: connect the app (README, 'Connect to Slack').\n\n")
        else:
            self.show(reply(self.ctx, text, asker=CONSOLE_ASKER))
        return True


def run_console(ctx: AppContext, stdin: TextIO, out: TextIO, interactive: bool) -> int:
    """Read queries until ``quit`` or end of input; return the exit status (0)."""
    console = Console(ctx, out)
    out.write(banner(ctx) + "\n\n")
    while True:
        line = _read(stdin, out, interactive)
        if line is None:
            return 0
        if not interactive and line.strip():
            out.write(f"> {line.strip()}\n")
        if not console.handle(line):
            return 0


def _read(stdin: TextIO, out: TextIO, interactive: bool) -> str | None:
    """The next line, or None at end of input (or Ctrl-C at the prompt)."""
    if not interactive:
        return stdin.readline() or None
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:  # pragma: no cover - not on every platform
        pass
    try:
        return input(PROMPT)
    except (EOFError, KeyboardInterrupt):
        out.write("\n")
        return None
