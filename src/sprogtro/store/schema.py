"""The project database schema as an ordered list of migrations.

Each migration is a list of SQL statements applied in one transaction. The database records the
versions it has in ``schema_version``; opening a project applies the missing ones in order, and a
database newer than this sprogtro is refused (never downgraded). Add a migration at the end; never edit
one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial schema: documents, turns, sentences, coders, codes, codings, labels, reviews, memos",
        [
            """CREATE TABLE meta (
                key   TEXT PRIMARY KEY,
                value TEXT
            )""",
            """CREATE TABLE documents (
                id            INTEGER PRIMARY KEY,
                doc_id        TEXT NOT NULL UNIQUE,
                guid          TEXT NOT NULL UNIQUE,
                text          TEXT NOT NULL,
                municipality  TEXT,
                doc_type      TEXT,
                date          TEXT,
                case_id       TEXT,
                metadata      TEXT NOT NULL DEFAULT '{}',
                content_hash  TEXT NOT NULL,
                source_hash   TEXT,
                pseudonymized INTEGER NOT NULL DEFAULT 1,
                origin        TEXT NOT NULL DEFAULT 'ingest',
                created_at    TEXT NOT NULL,
                updated_at    TEXT NOT NULL
            )""",
            "CREATE INDEX documents_municipality ON documents(municipality)",
            "CREATE INDEX documents_doc_type ON documents(doc_type)",
            "CREATE INDEX documents_content_hash ON documents(content_hash)",
            """CREATE TABLE turns (
                id          INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                turn_index  INTEGER NOT NULL,
                start_char  INTEGER NOT NULL,
                end_char    INTEGER NOT NULL,
                speaker     TEXT,
                role        TEXT NOT NULL DEFAULT 'other',
                label_start INTEGER,
                label_end   INTEGER,
                UNIQUE (document_id, turn_index)
            )""",
            """CREATE TABLE sentences (
                id          INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                sent_index  INTEGER NOT NULL,
                start_char  INTEGER NOT NULL,
                end_char    INTEGER NOT NULL,
                speaker     TEXT,
                role        TEXT,
                text        TEXT NOT NULL,
                UNIQUE (document_id, start_char, end_char)
            )""",
            "CREATE INDEX sentences_doc_index ON sentences(document_id, sent_index)",
            """CREATE TABLE coders (
                id         INTEGER PRIMARY KEY,
                name       TEXT NOT NULL UNIQUE,
                kind       TEXT NOT NULL CHECK (kind IN ('model', 'human')),
                version    TEXT,
                guid       TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE codes (
                id          INTEGER PRIMARY KEY,
                key         TEXT NOT NULL UNIQUE,
                name        TEXT NOT NULL UNIQUE,
                guid        TEXT NOT NULL UNIQUE,
                parent_id   INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
                dimension   TEXT,
                label       TEXT,
                colour      TEXT,
                description TEXT,
                is_codable  INTEGER NOT NULL DEFAULT 1,
                sort_order  INTEGER NOT NULL DEFAULT 0,
                origin      TEXT NOT NULL DEFAULT 'codebook'
            )""",
            """CREATE TABLE codings (
                id          INTEGER PRIMARY KEY,
                guid        TEXT NOT NULL UNIQUE,
                coder_id    INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
                code_id     INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                start_char  INTEGER NOT NULL,
                end_char    INTEGER NOT NULL,
                sentence_id INTEGER REFERENCES sentences(id) ON DELETE SET NULL,
                confidence  REAL,
                origin      TEXT,
                created_at  TEXT NOT NULL,
                CHECK (start_char >= 0 AND end_char >= start_char),
                UNIQUE (coder_id, code_id, document_id, start_char, end_char)
            )""",
            "CREATE INDEX codings_doc ON codings(document_id, start_char)",
            "CREATE INDEX codings_coder ON codings(coder_id)",
            """CREATE TABLE sentence_labels (
                id            INTEGER PRIMARY KEY,
                sentence_id   INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
                coder_id      INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
                framing       TEXT,
                expectation   TEXT,
                action        TEXT,
                probabilities TEXT NOT NULL DEFAULT '{}',
                cues          TEXT NOT NULL DEFAULT '[]',
                extra         TEXT NOT NULL DEFAULT '{}',
                created_at    TEXT NOT NULL,
                UNIQUE (sentence_id, coder_id)
            )""",
            "CREATE INDEX sentence_labels_coder ON sentence_labels(coder_id)",
            """CREATE TABLE reviews (
                id              INTEGER PRIMARY KEY,
                sentence_id     INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
                reviewer        TEXT NOT NULL,
                dimension       TEXT NOT NULL,
                verdict         TEXT NOT NULL,
                corrected_value TEXT,
                comment         TEXT,
                coder_id        INTEGER REFERENCES coders(id) ON DELETE SET NULL,
                created_at      TEXT NOT NULL
            )""",
            "CREATE INDEX reviews_sentence ON reviews(sentence_id)",
            """CREATE TABLE memos (
                id          INTEGER PRIMARY KEY,
                guid        TEXT NOT NULL UNIQUE,
                title       TEXT,
                text        TEXT NOT NULL,
                document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
                sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
                code_id     INTEGER REFERENCES codes(id) ON DELETE CASCADE,
                author      TEXT,
                created_at  TEXT NOT NULL
            )""",
        ],
    ),
    (
        2,
        "coded_documents (which coder coded which document version); Danish code labels",
        [
            """CREATE TABLE coded_documents (
                document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                coder_id     INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
                version      TEXT,
                content_hash TEXT NOT NULL,
                sentences    INTEGER NOT NULL,
                coded_at     TEXT NOT NULL,
                PRIMARY KEY (document_id, coder_id)
            )""",
            "ALTER TABLE codes ADD COLUMN label_da TEXT",
        ],
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
