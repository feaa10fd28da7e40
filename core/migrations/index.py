"""Schema migrations of the role index. Append new migrations; never edit one that has shipped.

Layout (see ``roles.index.library`` for how it is written and read):

- ``documents``: one row per file of the docs folder (path relative to the folder, size, mtime, content
  hash, format, kind 'role' / 'non-role' / 'error', status 'ok' / 'error' and the one-line error).
- ``roles``: one row per role (a multi-role file has several), with the whole role as zlib-compressed
  JSON in ``data`` (``roles.index.codec``) and a few summary columns (aspect item counts, KPI count, goal
  counts, section and goal counts) for listings and reports.
- ``search_entries`` (the ``search_rows`` view adds each row's role title and ``role_key``) + ``role_fts``:
  one row per section text, item, KPI, goal item and role title, with an external-content FTS5 index
  over the view (porter stemming, diacritics removed) and ``role_fts_vocab``. ``role_key`` is the token
  'zrole<id>' so that a search limited to some roles is one FTS query. The trigger ``roles_fts_bd``
  removes a role's FTS entries before the role goes (migration 0004; before it, sections, items,
  kpis, goals and goal_items held a relational copy of every role).
- ``terms``: every indexed stem and the number of search rows holding it (``role_fts_vocab`` without
  its scan of the whole FTS index), kept up to date by the writer (``roles.index.terms``).
- ``meta``: small key/value facts such as the index generation, the 'rebuilding' flag and the highest
  role id ever given out ('last_role_id': ids are never reused, see migration 0002).
"""

from __future__ import annotations

import zlib

import sqlite_utils

_INITIAL = (
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """INSERT INTO meta (key, value) VALUES ('generation', '0')""",
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        hash TEXT NOT NULL,
        format TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        link TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('role', 'non-role', 'error')),
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        error TEXT,
        indexed_at TEXT NOT NULL
    )""",
    """CREATE TABLE roles (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        source_path TEXT NOT NULL,
        link TEXT,
        format TEXT NOT NULL,
        aspects TEXT NOT NULL DEFAULT '{}',
        kpi_count INTEGER NOT NULL DEFAULT 0,
        goals TEXT NOT NULL DEFAULT '{}',
        data TEXT NOT NULL,
        UNIQUE (document_id, position)
    )""",
    """CREATE INDEX roles_title ON roles (title COLLATE NOCASE)""",
    """CREATE TABLE sections (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        aspect TEXT NOT NULL,
        heading TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE INDEX sections_role ON sections (role_id)""",
    """CREATE INDEX sections_parent ON sections (parent_id)""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL DEFAULT '{}',
        children TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE INDEX items_role ON items (role_id)""",
    """CREATE INDEX items_section ON items (section_id)""",
    """CREATE TABLE kpis (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        measures TEXT NOT NULL DEFAULT '',
        why TEXT NOT NULL DEFAULT '',
        target TEXT NOT NULL DEFAULT '',
        frequency TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT '',
        structured INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE INDEX kpis_role ON kpis (role_id)""",
    """CREATE INDEX kpis_section ON kpis (section_id)""",
    """CREATE TABLE goals (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        horizon_days INTEGER NOT NULL,
        heading TEXT NOT NULL
    )""",
    """CREATE INDEX goals_role ON goals (role_id)""",
    """CREATE INDEX goals_section ON goals (section_id)""",
    """CREATE TABLE goal_items (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('goal', 'indicator')),
        position INTEGER NOT NULL,
        text TEXT NOT NULL
    )""",
    """CREATE INDEX goal_items_role ON goal_items (role_id)""",
    """CREATE INDEX goal_items_goal ON goal_items (goal_id)""",
    """CREATE TABLE search_rows (
        id INTEGER PRIMARY KEY,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        aspect TEXT NOT NULL,
        section_path TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT -1,
        title TEXT NOT NULL,
        heading TEXT NOT NULL,
        body TEXT NOT NULL,
        role_key TEXT NOT NULL
    )""",
    """CREATE INDEX search_rows_role ON search_rows (role_id)""",
    # role_key ('zrole<id>') lets a search within some roles be one FTS query: "(…) AND role_key:(zrole7)".
    """CREATE VIRTUAL TABLE role_fts USING fts5 (
        title, heading, body, role_key,
        content='search_rows', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    # External content: the text lives once, in search_rows. The writer adds a role's rows to role_fts
    # with one INSERT … SELECT (several times faster than a per-row trigger); this trigger removes them,
    # including deletes done by ON DELETE CASCADE (foreign key actions fire triggers).
    """CREATE TRIGGER search_rows_ad AFTER DELETE ON search_rows BEGIN
        INSERT INTO role_fts (role_fts, rowid, title, heading, body, role_key)
        VALUES ('delete', old.id, old.title, old.heading, old.body, old.role_key);
    END""",
    """CREATE VIRTUAL TABLE role_fts_vocab USING fts5vocab (role_fts, 'row')""",
)


def _initial(db: sqlite_utils.Database) -> None:
    # One statement at a time: executescript() would commit the migration's transaction half-way.
    for statement in _INITIAL:
        db.execute(statement)


def _stable_role_ids(db: sqlite_utils.Database) -> None:
    # Role ids reach the outside (Slack select options, buttons, journeys), so an id must never name
    # another role later. 'last_role_id' is the highest id ever given out: SQLite alone would hand the
    # id of a just-deleted last role to the next new role. documents.role_ids keeps the ids a file's roles
    # had, so a file that was broken or not a role for a while gets its old ids back when it is fixed.
    db.execute("INSERT INTO meta (key, value) VALUES ('last_role_id', (SELECT coalesce(max(id), 0) FROM roles))")
    db.execute("ALTER TABLE documents ADD COLUMN role_ids TEXT NOT NULL DEFAULT '[]'")
    db.execute("""UPDATE documents SET role_ids = (SELECT json_group_array(id) FROM
                    (SELECT id FROM roles WHERE document_id = documents.id ORDER BY position))""")


def _document_notes(db: sqlite_utils.Database) -> None:
    # Why a document gave no role (or is a borderline case), and how much of it was left out as page
    # chrome: kept so that every `rolebot index` run can report them, not only the run that read the file.
    db.execute("ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE documents ADD COLUMN borderline INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE documents ADD COLUMN chrome INTEGER NOT NULL DEFAULT 0")



def _term_counts(db: sqlite_utils.Database) -> None:
    # The term statistics answers need (stem -> rows holding it), kept by the writer (roles.index.terms)
    # so that no reader scans the whole FTS index through role_fts_vocab to get them.
    db.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO terms (term, rows) SELECT term, doc FROM role_fts_vocab WHERE term NOT GLOB 'zrole[0-9]*'")


def _one_copy(db: sqlite_utils.Database) -> None:
    # Each piece of text is stored once per purpose: the role (compressed JSON in roles.data, what answers
    # read) and the searchable rows (search_entries). The relational copy of every role (sections, items,
    # kpis, goals, goal_items) was read only by checks, and the role title and 'zrole<id>' key repeated
    # on every search row; together they made the index 4x the size of a plain FTS table of the same text.
    db.execute("ALTER TABLE roles ADD COLUMN section_count INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE roles ADD COLUMN goal_count INTEGER NOT NULL DEFAULT 0")
    db.execute("""UPDATE roles SET section_count = (SELECT count(*) FROM sections WHERE role_id = roles.id),
                                   goal_count = (SELECT count(*) FROM goals WHERE role_id = roles.id)""")
    for table in ("goal_items", "goals", "kpis", "items", "sections"):
        db.execute(f"DROP TABLE {table}")
    _compress_role_data(db)
    db.execute("DROP TRIGGER search_rows_ad")
    db.execute("ALTER TABLE search_rows RENAME TO search_entries")
    db.execute("ALTER TABLE search_entries DROP COLUMN title")
    db.execute("ALTER TABLE search_entries DROP COLUMN role_key")
    # role_fts keeps content='search_rows': the name is now this view, which adds the two columns back.
    db.execute("""CREATE VIEW search_rows AS
                  SELECT e.id, e.role_id, e.kind, e.aspect, e.section_path, e.position, r.title, e.heading, e.body,
                         'zrole' || e.role_id AS role_key
                  FROM search_entries AS e JOIN roles AS r ON r.id = e.role_id""")
    # A role's FTS entries go before the role (and, by the cascade, its rows): the view still shows them.
    # Deleting a document cascades to its roles, and foreign key actions fire this trigger too.
    db.execute("""CREATE TRIGGER roles_fts_bd BEFORE DELETE ON roles BEGIN
                    INSERT INTO role_fts (role_fts, rowid, title, heading, body, role_key)
                    SELECT 'delete', id, title, heading, body, role_key FROM search_rows WHERE role_id = old.id;
                  END""")


def _compress_role_data(db: sqlite_utils.Database, chunk: int = 200) -> None:
    # The format of roles.index.codec.role_to_blob, written out here: a migration must not change when
    # the codec does. A few hundred roles at a time, so a 10k-role index never sits in memory at once.
    last = 0
    while True:
        rows = db.execute("SELECT id, data FROM roles WHERE id > ? ORDER BY id LIMIT ?", [last, chunk]).fetchall()
        if not rows:
            return
        db.conn.executemany("UPDATE roles SET data = ? WHERE id = ?", [(zlib.compress(data.encode("utf-8"), 6), i) for i, data in rows])
        last = rows[-1][0]


#: The kinds and aspects of search rows at the time of migration 0006, each with the one-character code
#: stored for it. Written out here: a migration must not change when the model's list does.
_LABELS_0006 = (
    "role section item kpi goal indicator summary mission responsibilities day-to-day deliverables goals "
    "kpis skills soft-skills tools tech-stack stakeholders decision-rights experience career-path risks "
    "variants ai-impact hiring scorecard competency facts other"
).split()
_CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _coded_labels(db: sqlite_utils.Database) -> None:
    # Every search row repeated its kind ("item") and aspect ("responsibilities") in full: 3.6 MB of the
    # 112 MB index of the 1,000-document bench corpus. A row now stores a one-character code and the
    # view spells it out; a name without a code (an aspect added later) is stored as itself.
    db.execute("CREATE TABLE search_labels (code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE) WITHOUT ROWID")
    db.conn.executemany("INSERT INTO search_labels (code, name) VALUES (?, ?)", zip(_CODES, _LABELS_0006, strict=False))
    db.execute("""UPDATE search_entries SET
                    kind = coalesce((SELECT code FROM search_labels WHERE name = kind), kind),
                    aspect = coalesce((SELECT code FROM search_labels WHERE name = aspect), aspect)""")
    db.execute("DROP VIEW search_rows")
    db.execute("""CREATE VIEW search_rows AS
                  SELECT e.id, e.role_id, coalesce(k.name, e.kind) AS kind, coalesce(a.name, e.aspect) AS aspect,
                         e.section_path, e.position, r.title, e.heading, e.body, 'zrole' || e.role_id AS role_key
                  FROM search_entries AS e JOIN roles AS r ON r.id = e.role_id
                  LEFT JOIN search_labels AS k ON k.code = e.kind
                  LEFT JOIN search_labels AS a ON a.code = e.aspect""")


MIGRATIONS = [
    ("roles-0001-initial", _initial),
    ("roles-0002-stable-role-ids", _stable_role_ids),
    ("roles-0003-document-notes", _document_notes),
    ("roles-0004-term-counts", _term_counts),
    ("roles-0005-one-copy", _one_copy),
    ("roles-0006-coded-labels", _coded_labels),
]
