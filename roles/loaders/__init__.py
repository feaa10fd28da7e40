"""Document loaders: every role document format into the ``roles.model`` dataclasses.

``load_file`` reads bytes, rejects bad input with a :class:`core.errors.DocumentError` subclass,
repairs the encoding once, sniffs the format from the content and parses. ``load_text`` does the same
for text already in memory. Formats live one per module (see :mod:`roles.loaders.base`).
"""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import DocumentError, UnreadableEncoding
from roles.loaders.base import Loader
from roles.loaders.decide import decide
from roles.loaders.decode import check_size, check_text, decode_bytes, repair_text
from roles.loaders.nonrole import config_kind, non_role_kind
from roles.loaders.registry import LOADERS, binary_loader, choose, register
from roles.loaders.titles import title_from_path
from roles.model import LoadedDocument

__all__ = ["LOADERS", "Loader", "load_file", "load_text", "register"]


def load_file(path: Path, root: Path, override: bool | None = None) -> LoadedDocument:
    """Load the document at ``path``; ``Source.path`` becomes its path relative to ``root``.

    ``override`` is an admin's decision for this file (True: its candidates are roles, False: none is).
    """
    relative = _relative(path, root)
    try:
        check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc
    binary = binary_loader(data, relative)
    if binary is not None:
        document, text = binary.load_bytes(data, relative)
        document.text = document.text or text  # the text the roles came from (for --explain's coverage)
        return decide(document, text, override)
    return load_text(decode_bytes(data), relative, override)


def load_text(text: str, path: str, override: bool | None = None) -> LoadedDocument:
    """Load a document from its text; ``path`` names it (relative path) and hints at its format."""
    check_text(text)
    try:
        text = repair_text(text)
    except UnicodeError as exc:
        raise UnreadableEncoding(f"text cannot be repaired: {exc}") from exc
    check_text(text)
    loader = choose(text, path)
    config = config_kind(path, text)
    if config is not None:
        return LoadedDocument(path=path, format=loader.format, title=title_from_path(path), text=text,
                              decision=f"not a role: {config}")
    kind = non_role_kind(text)
    if kind is not None:
        return LoadedDocument(path=path, format=loader.format, title=_first_line(text) or title_from_path(path),
                              text=text, decision=f"not a role: a {kind}")
    try:
        document = loader.load(text, path)
    except DocumentError as exc:
        if "\n" not in exc.reason:
            raise
        # Reasons quote parser messages and document text; whatever they hold, a reason is one line.
        raise type(exc)(" ".join(exc.reason.split())) from exc
    if loader.format == "yaml":
        return document  # hand-written roles are roles by declaration
    return decide(document, text, override)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return ""


def _relative(path: Path, root: Path) -> str:
    # The file's own symlink is not resolved: "team/link.md" pointing at "ladder.md" is its own document,
    # and the index knows it by the path under the folder, which Source.path must match.
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.parent.resolve().joinpath(path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()
