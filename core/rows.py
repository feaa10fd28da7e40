"""Rows of the jobs tables as dicts and dataclasses: one reader for every table instead of one each.

``query`` also serves ``UPDATE … RETURNING`` (call it inside the caller's transaction); ``build`` fills a
dataclass from the columns named like its fields, converting the non-NULL values it is told to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from core.store import Store

T = TypeVar("T")


def query(store: Store, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Every row ``sql`` returns, as a dict of column name -> value."""
    cursor = store.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def build(cls: type[T], row: Mapping[str, Any], **convert: Callable[[Any], Any]) -> T:
    """An instance of the dataclass ``cls`` from ``row``'s columns named like its fields (others ignored);
    ``convert[field]`` turns a non-NULL stored value into the field's type (e.g. ISO text -> datetime)."""
    values = {}
    for spec in fields(cls):  # type: ignore[arg-type]
        if spec.name in row:
            value = row[spec.name]
            values[spec.name] = convert[spec.name](value) if spec.name in convert and value is not None else value
    return cls(**values)
