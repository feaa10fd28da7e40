"""The benchmarks' one output format: a title line, then rows of cells in aligned columns."""

from __future__ import annotations

from collections.abc import Sequence


def print_table(title: str, rows: Sequence[Sequence[str]]) -> None:
    """Print ``title``, then ``rows`` with every column padded to its widest cell."""
    print(title)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
