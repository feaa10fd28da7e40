"""Which files of the docs folder to read, and an admin's word on whether a file holds roles.

Admins point rolebot at a whole handbook; ``include`` / ``exclude`` globs narrow it to the pages that
matter (``**/roles/**``, ``**/career*``) and ``always`` / ``never`` globs settle a page the evidence gets
wrong. Globs match the path relative to the docs folder, ``**`` spanning folders and ``*`` not. They
are translated to regular expressions here because fnmatch's ``*`` crosses ``/`` and
``PurePath.full_match`` needs Python 3.13.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from core.errors import ConfigError

#: File endings that are never documents: fonts, images, media, archives, spreadsheets, binaries, code.
NOT_DOCUMENTS = frozenset({
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico",
    ".bmp", ".tif", ".tiff", ".heic", ".psd", ".ai", ".sketch", ".fig", ".mp3", ".mp4", ".mov", ".avi",
    ".webm", ".wav", ".ogg", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".jar", ".xlsx",
    ".xls", ".xlsm", ".ods", ".numbers", ".csv", ".tsv", ".pptx", ".ppt", ".key", ".odp", ".exe", ".dll",
    ".so", ".dylib", ".bin", ".dmg", ".iso", ".pyc", ".class", ".o", ".wasm", ".db", ".sqlite", ".css",
    ".scss", ".sass", ".less", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".map", ".lock", ".pdn",
})


def is_not_a_document(path: str) -> bool:
    """True for files that are certainly not documents, by their ending (counted, never read)."""
    return PurePosixPath(path).suffix.lower() in NOT_DOCUMENTS


@dataclass(frozen=True)
class DocsScope:
    """Include/exclude globs and per-file role overrides (all relative to the docs folder)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    always: tuple[str, ...] = ()
    never: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for glob in (*self.include, *self.exclude, *self.always, *self.never):
            if not isinstance(glob, str) or not glob.strip():
                raise ConfigError(f"docs globs must be non-empty text, got {glob!r}")

    def selects(self, rel: str) -> bool:
        """True when ``rel`` is in scope: matches an include glob (or there are none) and no exclude glob."""
        if self.include and not any(matches(glob, rel) for glob in self.include):
            return False
        return not any(matches(glob, rel) for glob in self.exclude)

    def override(self, rel: str) -> bool | None:
        """True (``roles: always``), False (``roles: never``, which wins) or None (the evidence decides)."""
        if any(matches(glob, rel) for glob in self.never):
            return False
        if any(matches(glob, rel) for glob in self.always):
            return True
        return None


def matches(glob: str, rel: str) -> bool:
    """Does the relative path ``rel`` match ``glob``? A glob without "/" matches the file name anywhere."""
    if "/" not in glob.strip("/"):
        return bool(_compile(glob).fullmatch(PurePosixPath(rel).name)) or bool(_compile(glob).fullmatch(rel))
    return bool(_compile(glob.strip("/")).fullmatch(rel))


@lru_cache(maxsize=256)
def _compile(glob: str) -> re.Pattern[str]:
    out, n = [], 0
    while n < len(glob):
        if glob.startswith("**/", n):
            out.append("(?:.*/)?")
            n += 3
        elif glob.startswith("**", n):
            out.append(".*")
            n += 2
        elif glob[n] == "*":
            out.append("[^/]*")
            n += 1
        elif glob[n] == "?":
            out.append("[^/]")
            n += 1
        else:
            out.append(re.escape(glob[n]))
            n += 1
    return re.compile("".join(out), re.IGNORECASE)
