"""Property: no input text or bytes makes a loader raise anything but a DocumentError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles.errors import DocumentError
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
