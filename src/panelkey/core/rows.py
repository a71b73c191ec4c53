"""The one insert of a new object's row: stamped as every new object is, its id answered."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from panelkey.core.clock import iso


def insert(conn: sa.Connection, table: sa.Table, **values: Any) -> int:
    """Insert one row into `table` and answer its id. The row is stamped `created` (now)
    and, where the table keeps one, given a fresh `guid`, unless `values` has them."""
    stamps = {"created": iso(), "guid": str(uuid.uuid4())}
    row = {**{k: v for k, v in stamps.items() if k in table.c}, **values}
    made = conn.execute(table.insert().values(**row)).inserted_primary_key
    assert made is not None
    return int(made[0])
