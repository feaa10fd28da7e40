"""The bottom floor of rolebot: settings (``core.config``), named errors (``core.errors``), the database
connection (``core.store``) and the schema migrations of every package (``core.migrations``).

Every other package may import from here; nothing here imports from ``bot``, ``handlers``, ``jobs`` or
``roles``.
"""
