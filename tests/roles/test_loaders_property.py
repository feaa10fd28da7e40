"""Property: no input text or bytes makes a loader raise anything but a DocumentError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DocumentError
from roles.loaders import load_file, load_text
from roles.model import LoadedDocument

# Fragments of every format, so random documents reach deep into each parser, not just the sniffers.
FRAGMENTS = [
    "# L4 Senior Engineer - Platform", "## Responsibilities", "### 30-day goals", "## L3 Engineer",
    "**Responsibilities**", "- **Planning horizon**: next quarter", "- item", "  - nested", "1. first",
    "> quoted summary", "<details>", "<summary>Examples</summary>", "</details>", "| KPI | Target |",
    "|---|---|", "| Uptime | 99% |", "1) Role Summary", "2) Goals", "3) KPIs", "30-day goals (onboarding)",
    "  • bullet: with label", "    Use: child line", "Success indicators (30 days): – a – b",
    "Metric name What it measures Why it matters Example target / benchmark Frequency",
    "Uptime % of time up Keeps trust ≥ 99.9% Weekly/Monthly", "Category Tool Primary use",
    "<h2>1) Role Summary</h2>", "<ul><li><strong>Lead:</strong> rest<ul><li>x</li></ul></li></ul>",
    "<table><tr><th>Metric</th><th>Target</th></tr><tr><td>a</td></tr></table>", "<p>&#8211; a &#8211; b</p>",
    "title: Engineer", "sections:", "  - heading: Goals", "    goals:", "      - horizon_days: 30",
    "roles:", "  - title: X", "{", "}", "[", '"content": {"rendered": "<h2>x</h2>"}', '{"title": "A",',
    "\uf8ffü¶â Domain", "‚Äô", "Ã©", "\x00", "\ufeff", "Subscribe", "0 Comments", "Permission is hereby granted",
    "## [1.0.0] - 2026-01-01", "", "   ", "\t", "---", "```", "<!--", "-->", "*", "**", "&amp;", "–", ":",
]

documents = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=30).map("\n".join)
paths = st.sampled_from(["doc.txt", "doc.md", "doc.html", "doc.yaml", "doc.json", "README.md", "LICENSE", "doc"])


def _check(call) -> None:
    try:
        result = call()
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(result, LoadedDocument)


@settings(max_examples=300, deadline=None)
@given(text=documents, path=paths)
def test_load_text_raises_only_document_errors(text: str, path: str) -> None:
    _check(lambda: load_text(text, path))


@settings(max_examples=150, deadline=None)
@given(text=st.text(), path=paths)
def test_load_text_on_arbitrary_unicode(text: str, path: str) -> None:
    _check(lambda: load_text(text, path))


@settings(max_examples=100, deadline=None)
@given(body=documents)
def test_blog_export_with_arbitrary_html_body(body: str) -> None:
    post = json.dumps({"title": {"rendered": body[:50]}, "content": {"rendered": body}})
    _check(lambda: load_text(post, "post.txt"))
    _check(lambda: load_text(post[: len(post) // 2], "post.txt"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000) | documents.map(lambda t: t.encode("utf-8", "surrogatepass")),
       encoding=st.sampled_from(["raw", "utf-16", "cp1252", "mac_roman"]))
def test_load_file_raises_only_document_errors(data: bytes, encoding: str) -> None:
    if encoding != "raw":
        data = data.decode("utf-8", "replace").encode(encoding, "replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc"
        path.write_bytes(data)
        _check(lambda: load_file(path, Path(folder)))


# --- structured documents: plausible Markdown, HTML, blog JSON and YAML built from random parts ------

# Mostly printable words (so documents get past the binary check and into the parsers), some of anything.
words = st.text(st.characters(categories=("L", "N", "P", "Zs", "S")), max_size=12) | st.text(max_size=4)
phrases = st.lists(st.sampled_from(["Responsibilities", "KPIs", "30-day goals", "Month 2", "Q1", "Skills",
                                    "Success indicators", "Junior", "L4 Engineer", "Tools", "Days 31-60",
                                    "Target", "Cadence", "Metric", "–", ":", "**", "|"]) | words,
                   min_size=0, max_size=5).map(" ".join)


@st.composite
def markdown_documents(draw) -> str:
    """Headings of any level (ATX or bold), nested lists, pipe tables, quotes and <details> blocks."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["atx", "bold", "list", "table", "quote", "details", "text"]))
        if kind == "atx":
            lines.append("#" * draw(st.integers(1, 6)) + " " + draw(phrases))
        elif kind == "bold":
            lines.append(f"**{draw(phrases)}**" + draw(st.sampled_from(["", ":", ": " + draw(phrases)])))
        elif kind == "list":
            for depth in draw(st.lists(st.integers(0, 6), max_size=6)):
                lines.append("  " * depth + draw(st.sampled_from(["- ", "* ", "1. ", "\t- "])) + draw(phrases))
        elif kind == "table":
            width = draw(st.integers(1, 4))
            rows = draw(st.lists(st.lists(phrases, min_size=0, max_size=width + 1), max_size=4))
            lines += ["| " + " | ".join(draw(st.lists(phrases, min_size=width, max_size=width))) + " |",
                      "|" + "---|" * width] + ["| " + " | ".join(row) + " |" for row in rows]
        elif kind == "quote":
            lines.append("> " + draw(phrases))
        elif kind == "details":
            lines += ["<details>", f"<summary>{draw(phrases)}</summary>", "", "- " + draw(phrases),
                      draw(st.sampled_from(["</details>", ""]))]
        else:
            lines.append(draw(phrases))
        lines.append(draw(st.sampled_from(["", "\n"])))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


_BLOCK_TAGS = ["div", "section", "article", "main", "header", "footer", "nav", "ul", "ol", "li", "p", "table",
               "tr", "td", "th", "h1", "h2", "h3", "h4", "strong", "br", "details", "summary", "blockquote", "dl",
               "dt", "dd", "pre", "span"]
html_nodes = st.recursive(
    phrases.map(lambda t: t.replace("<", "&lt;")),
    lambda children: st.tuples(st.sampled_from(_BLOCK_TAGS), st.lists(children, max_size=4), st.booleans()).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")),
    max_leaves=25,
)
html_documents = st.tuples(st.sampled_from(["", "<!DOCTYPE html>", "<html><body>"]), st.lists(html_nodes, max_size=6)).map(
    lambda t: t[0] + "".join(t[1]))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | phrases,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["title", "content", "rendered", "link", "sections", "roles", "heading", "items"]) | words,
        children, max_size=4),
    max_leaves=15,
)
blog_posts = st.fixed_dictionaries(
    {"title": st.one_of(phrases, st.fixed_dictionaries({"rendered": phrases}), json_values),
     "content": st.one_of(html_documents, st.fixed_dictionaries({"rendered": html_documents}), json_values)},
    optional={"link": st.one_of(phrases, json_values)},
)
json_documents = st.one_of(blog_posts, st.lists(blog_posts, max_size=3), json_values).map(json.dumps)

yaml_documents = st.one_of(json_values, st.fixed_dictionaries(
    {"title": json_values, "sections": st.lists(st.fixed_dictionaries(
        {"heading": json_values}, optional={"items": json_values, "kpis": json_values, "goals": json_values,
                                            "aspect": json_values}), max_size=3)},
    optional={"aliases": json_values, "roles": json_values})).map(lambda data: json.dumps(data, indent=2))

structured = st.one_of(markdown_documents(), html_documents, json_documents, yaml_documents)
all_paths = st.sampled_from(["role.md", "role.html", "role.txt", "role.json", "role.yaml", "README.md", "role"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=structured, path=all_paths)
def test_load_text_on_structured_documents_raises_only_document_errors(text: str, path: str) -> None:
    _check(lambda: load_text(text, path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=structured, path=all_paths,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "mac_roman"]),
       cut=st.none() | st.integers(0, 4000))
def test_load_file_on_structured_documents_in_any_encoding(text: str, path: str, encoding: str, cut: int | None) -> None:
    data = text.encode(encoding, "replace")
    if cut is not None:
        data = data[:cut]  # truncated files: half a JSON object, half a UTF-16 code unit
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / path
        file.write_bytes(data)
        _check(lambda: load_file(file, Path(folder)))
