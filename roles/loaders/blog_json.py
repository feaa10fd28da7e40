"""Blog-platform REST exports (WordPress ``/wp/v2/posts`` JSON): one post, or a list of posts.

``title.rendered`` is the heading, ``link`` the canonical address and ``content.rendered`` the HTML
body, parsed like any HTML page; exports that give ``title`` and ``content`` as plain strings, or that
wrap the list of posts in an object (``{"posts": […]}``), work too. JSON in rolebot's own schema (``title`` + ``sections``) is accepted too.
"""

from __future__ import annotations

import json
from typing import Any

from core.errors import MalformedDocument, NoRoleContent
from roles.loaders.base import Loader
from roles.loaders.builder import SectionBuilder
from roles.loaders.common import make_role
from roles.loaders.html_blocks import heading_levels, node_text, parse_html, walk
from roles.loaders.titles import title_from_path
from roles.loaders.yaml_native import document_from_data
from roles.model import LoadedDocument, Role


class BlogJsonLoader(Loader):
    """WordPress-style REST JSON whose ``content.rendered`` holds the role as HTML."""

    format = "blog-json"

    def sniff(self, text: str, path: str) -> float:
        """JSON by its first character; certain when the export's ``rendered`` fields appear."""
        start = text.lstrip()[:1]
        if start not in ("{", "["):
            return 0.0
        return 0.98 if '"rendered"' in text[:200000] else 0.9

    def load(self, text: str, path: str) -> LoadedDocument:
        """Parse the JSON (a truncated export is a MalformedDocument) and each post's HTML."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedDocument(f"invalid or truncated JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
        except RecursionError as exc:
            raise MalformedDocument("invalid JSON: nested too deeply") from exc
        posts = _posts(data)
        if posts and all(_is_post(post) for post in posts):
            roles = [role for role in (_post_role(post, path, self.format) for post in posts) if role is not None]
            if roles:
                return LoadedDocument(path=path, format=self.format, title=roles[0].title, roles=roles,
                                      link=roles[0].source.link)
            # A "content" string without headings may be any JSON (site settings); only the export's
            # {"rendered": …} form makes a headingless post a failure worth reporting.
            if any(isinstance(post["content"], dict) for post in posts):
                raise NoRoleContent("blog export has no headings in its content")
        if isinstance(data, dict) and ("sections" in data or "roles" in data):
            return document_from_data(data, path, self.format, text)
        # Any other JSON (a package manifest, site settings) is a document, but not a role.
        return LoadedDocument(path=path, format=self.format, title=title_from_path(path), text=text)


#: Keys under which exports hold their list of posts ({"posts": […]}) instead of a bare list.
_WRAPPERS = ("posts", "items", "pages", "data", "results")


def _posts(data: Any) -> list:
    """The posts of an export: a bare list, one post, or a list under a wrapper key such as "posts"."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "content" not in data:
        for key in _WRAPPERS:
            value = data.get(key)
            if isinstance(value, list) and value and all(_is_post(post) for post in value):
                return value
    return [data]


def _is_post(post: Any) -> bool:
    # Exports differ: WordPress wraps fields as {"rendered": …}; other tools give the HTML as a string.
    if not isinstance(post, dict):
        return False
    content = post.get("content")
    return isinstance(content, str) or (isinstance(content, dict) and isinstance(content.get("rendered"), str))


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


def _post_role(post: dict, path: str, fmt: str) -> Role | None:
    html = _rendered(post["content"])
    title_html = _rendered(post.get("title"))
    title = node_text(parse_html(title_html).body).replace("\n", " ") if title_html.strip() else ""
    link = post.get("link") if isinstance(post.get("link"), str) else None
    tree = parse_html(html)
    body = tree.body
    if body is None or body.css_first("h1, h2, h3, h4, h5, h6") is None:
        return None
    builder = SectionBuilder()
    walk(body, builder, heading_levels(body))
    return make_role(title, builder.sections, path, fmt, link=link, body=body.text()[:20000])
