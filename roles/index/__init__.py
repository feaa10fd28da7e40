"""The role index: documents read by ``roles.loaders`` stored in SQLite (``library``: indexing, reading
and the report; ``write``: storing one document; ``codec``: the JSON form of a role, compressed in the
index; ``terms``: the term statistics kept as documents are written)."""
