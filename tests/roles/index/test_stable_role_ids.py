"""Role ids are derived from the document's path and the role's position, so every replica's index (each
process keeps its own) and every rebuild from the same documents agree on them."""

from __future__ import annotations

import shutil

from core.config import BUNDLED_EXAMPLES
from core.store import open_store
from roles.index.library import RoleIndex
from roles.index.write import stable_role_id


def _ids(index: RoleIndex) -> dict[str, int]:
    return {role.title: role.id for role in index.list_roles()}


def test_two_replicas_indexing_the_same_documents_agree_on_every_id(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED_EXAMPLES, docs)
    first = RoleIndex(open_store(tmp_path / "replica-a.db"))
    first.index_folder(docs)
    # The second replica first saw only some of the files (a deploy mid-copy), then all of them.
    partial = tmp_path / "partial"
    partial.mkdir()
    for path in sorted(docs.iterdir())[::2]:
        shutil.copy(path, partial / path.name)
    second = RoleIndex(open_store(tmp_path / "replica-b.db"))
    second.index_folder(partial)
    shutil.rmtree(partial)
    shutil.copytree(docs, partial)
    second.index_folder(partial)
    assert _ids(first) == _ids(second) and len(_ids(first)) >= 3


def test_an_id_depends_on_path_and_position_only():
    assert stable_role_id("sre.yaml", 0) == stable_role_id("sre.yaml", 0)
    assert len({stable_role_id("sre.yaml", 0), stable_role_id("sre.yaml", 1), stable_role_id("ptpm.yaml", 0)}) == 3
    assert all(0 < stable_role_id(f"doc{n}.md", n % 3) < 2**53 for n in range(1000))
