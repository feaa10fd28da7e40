"""Scraped or saved HTML pages: ``<h1>`` (or ``<title>``) is the role, lower headings its sections."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from core.errors import NoRoleContent
from roles.loaders.base import Loader
from roles.loaders.events import Event, EventRecorder
from roles.loaders.html_blocks import heading_levels, node_text, parse_html, walk
from roles.loaders.structure import document_from_events
from roles.model import LoadedDocument

_HEADING_TAGS = "h1, h2, h3, h4, h5, h6"

_TAGS = re.compile(r"<(html|head|body|div|p|h[1-6]|ul|ol|table|section|article|main)\b", re.IGNORECASE)


class HtmlPageLoader(Loader):
    """An HTML page holding one role."""

    format = "html"

    def sniff(self, text: str, path: str) -> float:
        """Certain for a doctype or ``<html>``; likely when block tags are frequent."""
        head = text.lstrip()[:2000].lower()
        if head.startswith(("<!doctype html", "<html")) or "<html" in head[:500]:
            return 0.95
        tags = len(_TAGS.findall(text[:20000]))
        if head.startswith("<") and tags >= 2:
            return 0.8
        # Markdown may embed a few tags (<details>); only a page made of tags is HTML.
        return 0.6 if tags >= 8 and not re.search(r"^#{1,3} ", text[:20000], re.MULTILINE) else 0.0

    def load(self, text: str, path: str) -> LoadedDocument:
        """The page's role; a page with no headings has no role structure and is rejected."""
        tree = parse_html(text)
        body = tree.body
        notes: list[str] = []
        if body is not None:
            body = _content_root(body, notes)
        if body is None or body.css_first(_HEADING_TAGS) is None:
            raise NoRoleContent("HTML page has no headings, so no role sections can be found")
        # Google Docs exports mark the document's title as <p class="title"> and its sections as <h1>.
        h1 = body.css_first("p.title") or body.css_first("h1")
        title = node_text(h1).replace("\n", " ") if h1 is not None else ""
        if not title:
            title_node = tree.css_first("title")
            title = node_text(title_node).replace("\n", " ") if title_node is not None else ""
        # The page's sections become events one level below its title, as in Markdown, so a ladder or a
        # level table exported to HTML (or Word) is read exactly like the Markdown one.
        recorder = EventRecorder(shift=1)
        walk(body, recorder, heading_levels(body, skip=h1), skip=h1)
        events = ([Event("heading", level=1, text=" ".join(title.split()))] if title.strip() else []) + recorder.events
        document = document_from_events(events, "", path, self.format, body.text()[:20000], notes)
        for role in document.roles + document.rejected:
            if role.origin.startswith("the page's"):
                role.origin = f"<{h1.tag}> of the page body" if h1 is not None else "the page's <title>"
        return document


# Page chrome of static-site, wiki and CMS exports: menus and sidebars (often listing every role title,
# sometimes as <h1>s), breadcrumbs, footers, comment forms. Never the role, and never its title.
_CHROME = ("nav, aside, [role=navigation], [role=banner] nav, [role=contentinfo], footer, .sidebar, #sidebar, "
           ".side-bar, .menu, #menu, .nav, .navbar, .navigation, .toc, #toc, .breadcrumb, .breadcrumbs, "
           "#breadcrumbs, #breadcrumb-section, .footer, #footer, .comments, #comments, .site-header nav, "
           ".advert, .ads, .newsletter, .course-promo, form")


def _content_root(body: LexborNode, notes: list[str]) -> LexborNode:
    """The part of a page that holds the document, with its chrome left out (each piece noted).

    ``<main>`` (or a lone ``<article>``) when it has headings; otherwise the body without navigation,
    sidebars, footers and a ``<header>`` holding the site navigation.
    """
    # A <header> holding the site navigation is a banner (its <h1> is the site's name); one without is
    # a page's own header and may hold the role's title.
    banners = [header for header in body.css("header") if header.css_first("nav") is not None]
    for node in banners + body.css(_CHROME):
        if node.parent is None:
            continue  # already removed inside a larger piece of chrome
        words = " ".join(node.text(separator=" ").split())
        if words:
            label = node.tag + (f"#{node.id}" if node.id else "") + (f".{node.attributes.get('class')}" if node.attributes.get("class") else "")
            notes.append(f"left out as page chrome: <{label}> ({len(words.split())} words): {words[:400]}")
        node.decompose()
    for candidate in (body.css_first("main, [role=main]"), _lone(body.css("article"))):
        if candidate is not None and candidate.css_first(_HEADING_TAGS) is not None:
            outside = " ".join(body.text(separator=" ").replace(candidate.text(separator=" "), " ").split())
            if outside:
                notes.append(f"left out as page chrome: the page around <{candidate.tag}> "
                             f"({len(outside.split())} words): {outside[:400]}")
            return candidate
    return body


def _lone(nodes: list[LexborNode]) -> LexborNode | None:
    return nodes[0] if len(nodes) == 1 else None
