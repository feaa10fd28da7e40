"""The index with the real loaders: the shared role documents and a generated corpus in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import generate
from roles.index.library import RoleIndex
from roles.loaders import load_file


def test_shared_documents_index_to_five_roles_that_round_trip_exactly(store, shared_docs):
    index = RoleIndex(store)
    report = index.index_folder(shared_docs)
    assert report.failures == []
    assert report.roles == 5
    for summary in index.list_roles():
        loaded = load_file(shared_docs / summary.source_path, shared_docs)
        [original] = [r for r in loaded.roles if r.title == summary.title]
        assert index.get_role(summary.id) == original
    again = index.index_folder(shared_docs)
    assert (again.unchanged, again.added, again.updated) == (5, 0, 0)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, generate(folder, 9, seed=11, non_roles=1)


def test_generated_corpus_indexes_every_role_with_its_kpis_and_goals(store, corpus):
    folder, docs = corpus
    index = RoleIndex(store)
    report = index.index_folder(folder)
    assert report.failures == []
    assert report.documents_seen == 10
    found = {r.source_path: r for r in index.list_roles()}
    assert set(found) == {d.path for d in docs}
    for doc in docs:
        summary = found[doc.path]
        assert summary.title == doc.title, doc.format
        assert summary.kpi_count == doc.kpis, doc.format
        assert {days: n for days, n in summary.goals.items() if days in (30, 60, 90)} == doc.goals, doc.format
    assert [d.kind for d in index.documents() if d.path.startswith("NOTES")] == ["non-role"]
