"""Every generated role document of the benchmark corpus stays a role under the evidence-based decision.

The corpus (bench/corpus.py) titles its roles from a wide made-up vocabulary ("Observability Program
Manager (OPM)"), so it guards against the decision rejecting real role pages for words in their titles.
"""

from __future__ import annotations

from pathlib import Path

from bench.corpus import generate
from roles.loaders import load_file


def test_every_corpus_document_gives_its_one_role(tmp_path: Path) -> None:
    generate(tmp_path, 150, seed=7)
    lost = []
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        document = load_file(path, tmp_path)
        if len(document.roles) != 1:
            lost.append((path.name, document.decision))
    assert lost == []
