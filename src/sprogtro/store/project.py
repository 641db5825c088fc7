"""A sprogtro project: a folder with ``project.toml`` and one SQLite database, ``project.db``.

The database holds only pseudonymized text. It runs in WAL mode with foreign keys on and a busy timeout,
and every write is one short ``BEGIN IMMEDIATE`` transaction, so several processes (an ingest, a coding
run, the review app) can write at once. Each thread gets its own connection.

Offsets everywhere are Python ``str`` indices (Unicode code points, end-exclusive) into the stored text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import tomllib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from sprogtro import __version__
from sprogtro._io import atomic_write_text
from sprogtro.corpus.document import Document, Turn
from sprogtro.errors import StoreError
from sprogtro.store.codebook import CodeSpec, load_codebook
from sprogtro.store.schema import LATEST_VERSION, MIGRATIONS

PROJECT_FILE = "project.toml"
DB_FILE = "project.db"
BUSY_TIMEOUT_MS = 30_000
DOC_NAMESPACE = uuid.UUID("0b6c3f5e-2d8a-4e71-a9c4-7f3e1d5b2a60")
DIMENSIONS = ("framing", "expectation", "action")
# The label that means "nothing to code" on each dimension: no coding segment is written for it.
EMPTY_LABELS = {"framing": "neutral", "expectation": "none", "action": "none"}
CODER_KINDS = ("model", "human")
# Metadata never stored: speaker_roles names people ("Karina=caseworker").
_DROPPED_METADATA = ("speaker_roles",)
_FIXED_COLUMNS = ("municipality", "doc_type", "date", "case_id")
CODE_PATH_SEPARATOR = " › "
AGREE_VERDICTS = ("agree", "confirm", "confirmed", "correct", "ok", "enig")


class AddOutcome(str):
    """What :meth:`Project.add_document` did: ``added``, ``updated``, ``metadata`` or ``unchanged``.
    A string, and false exactly when nothing changed (so ``if project.add_document(doc):`` works)."""

    def __bool__(self) -> bool:
        return self != "unchanged"


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_guid(doc_id: str) -> str:
    return str(uuid.uuid5(DOC_NAMESPACE, doc_id))


def project_root(path: str | os.PathLike) -> Path:
    """The project folder for a folder, its ``project.toml`` or its ``project.db``."""
    p = Path(path)
    if p.name in (PROJECT_FILE, DB_FILE) and p.is_file():
        return p.parent
    return p


class Project:
    """A project store. Open one with :meth:`open` (or ``Project(path)``), create one with :meth:`init`.

    Use it as a context manager, or call :meth:`close` when done.
    """

    def __init__(self, path: str | os.PathLike, *, _create: bool = False, name: str | None = None):
        self.path = project_root(path).resolve()
        self.toml_path = self.path / PROJECT_FILE
        self.db_path = self.path / DB_FILE
        if _create:
            self._create_files(name)
        elif not self.toml_path.is_file() or not self.db_path.is_file():
            raise StoreError(
                f"{self.path} is not a sprogtro project (no {PROJECT_FILE}/{DB_FILE}); "
                f"create one with `sprogtro init {self.path}`"
            )
        self.config = tomllib.loads(self.toml_path.read_text(encoding="utf-8"))
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate()
        self._sync_codebook()

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def init(cls, path: str | os.PathLike, *, name: str | None = None) -> "Project":
        """Create a project folder (it may exist but must not hold a project) and seed the codebook."""
        return cls(path, _create=True, name=name)

    @classmethod
    def open(cls, path: str | os.PathLike) -> "Project":
        return cls(path)

    @property
    def name(self) -> str:
        return str(self.config.get("project", {}).get("name") or self.path.name)

    def _create_files(self, name: str | None) -> None:
        if self.toml_path.exists() or self.db_path.exists():
            raise StoreError(f"{self.path} already holds a sprogtro project")
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} exists and is not a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        lines = [
            "# sprogtro project. The database (project.db) holds pseudonymized text only;",
            "# the re-identification key is kept outside this folder.",
            "[project]",
            f"name = {_toml_str(name or self.path.name)}",
            f"created = {_toml_str(utcnow())}",
            f"sprogtro_version = {_toml_str(__version__)}",
            "",
        ]
        atomic_write_text(self.toml_path, "\n".join(lines))

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r})"

    # ------------------------------------------------------------------ connections

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; writes go through :meth:`transaction`)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:  # e.g. a read-only file system
                raise StoreError(f"cannot open {self.db_path} for writing: {exc}") from None
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE``); commits on success, rolls back on error."""
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def _frame(self, sql: str, params: Iterable[Any] = ()) -> pd.DataFrame:
        cur = self.conn.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return pd.DataFrame.from_records(cur.fetchall(), columns=cols)

    # ------------------------------------------------------------------ schema

    @property
    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if row is None:
            return 0
        value = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        return int(value or 0)

    def _migrate(self) -> None:
        conn = self.conn
        if self.schema_version > LATEST_VERSION:
            raise StoreError(
                f"{self.db_path} has schema version {self.schema_version}, newer than this sprogtro "
                f"understands ({LATEST_VERSION}); upgrade sprogtro"
            )
        if self.schema_version == LATEST_VERSION:
            return
        with self.transaction():
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description TEXT, applied_at TEXT NOT NULL)"
            )
            current = self.schema_version  # re-read inside the lock: another process may have migrated
            for version, description, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (version, description, utcnow()))

    # ------------------------------------------------------------------ meta

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------------ codebook

    def _sync_codebook(self, path: str | os.PathLike | None = None) -> None:
        """Seed or update the codebook codes from the codebook file (or the built-in default).

        Runs when the project is created and whenever the codebook's content changed (e.g. the file
        appeared): codes are added or their name/colour/description updated; none is ever deleted.
        """
        specs, fingerprint = load_codebook(path)
        if self.get_meta("codebook") == fingerprint:
            return
        with self.transaction() as conn:
            for spec in specs:
                self._upsert_code_spec(conn, spec)
            conn.execute("INSERT INTO meta(key, value) VALUES ('codebook', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (fingerprint,))

    def _upsert_code_spec(self, conn: sqlite3.Connection, spec: CodeSpec) -> None:
        parent_id = None
        if spec.parent_key:
            parent_id = conn.execute("SELECT id FROM codes WHERE key = ?", (spec.parent_key,)).fetchone()[0]
        row = conn.execute("SELECT id FROM codes WHERE key = ?", (spec.key,)).fetchone()
        name = spec.name
        clash = conn.execute("SELECT id FROM codes WHERE name = ? AND key != ?", (name, spec.key)).fetchone()
        if clash is not None:  # a user/imported code already has this name
            name = f"{name} ({spec.key})"
        values = (name, parent_id, spec.dimension, spec.label, spec.colour, spec.description,
                  int(spec.is_codable), spec.sort_order, spec.label_da)
        if row is None:
            conn.execute(
                "INSERT INTO codes(key, name, guid, parent_id, dimension, label, colour, description, "
                "is_codable, sort_order, label_da, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'codebook')",
                (spec.key, name, spec.guid, *values[1:]),
            )
        else:
            conn.execute(
                "UPDATE codes SET name = ?, parent_id = ?, dimension = ?, label = ?, colour = ?, "
                "description = ?, is_codable = ?, sort_order = ?, label_da = ? WHERE id = ?", (*values, row[0]),
            )

    def reload_codebook(self, path: str | os.PathLike | None = None) -> None:
        """Re-read the codebook file (or ``path``) and add/update its codes."""
        self._sync_codebook(path)

    def codes_frame(self) -> pd.DataFrame:
        """The codebook: one row per code, parents before children, with ``path`` ("framing › deficit")."""
        df = self._frame(
            "SELECT c.id AS code_id, c.key, c.name, c.guid, p.key AS parent_key, c.dimension, c.label, "
            "c.label_da, c.colour, c.description, c.is_codable, c.sort_order, c.origin "
            "FROM codes c LEFT JOIN codes p ON p.id = c.parent_id ORDER BY c.sort_order, c.id"
        )
        names = dict(zip(df["key"], df["name"]))
        parents = dict(zip(df["key"], df["parent_key"]))
        df["path"] = [CODE_PATH_SEPARATOR.join(_code_path(k, names, parents)) for k in df["key"]]
        df["is_codable"] = df["is_codable"].astype(bool)
        return df

    def codebook(self) -> pd.DataFrame:
        """The codebook (alias of :meth:`codes_frame`): ``key, name, path, dimension, label, label_da,
        colour, description, is_codable`` …, dimensions before their labels."""
        return self.codes_frame()

    def code_id(self, ref: str | int) -> int:
        """A code's id from its id, key, name, guid or path ("framing › deficit"). StoreError if unknown."""
        found = self.find_code(ref)
        if found is None:
            raise StoreError(f"no code {ref!r} in the codebook")
        return found

    def find_code(self, ref: str | int) -> int | None:
        if isinstance(ref, int):
            row = self.conn.execute("SELECT id FROM codes WHERE id = ?", (ref,)).fetchone()
            return None if row is None else row[0]
        ref = str(ref).strip()
        for column in ("key", "name"):
            row = self.conn.execute(f"SELECT id FROM codes WHERE {column} = ?", (ref,)).fetchone()
            if row is not None:
                return row[0]
        row = self.conn.execute("SELECT id FROM codes WHERE lower(guid) = lower(?)", (ref.strip("{}"),)).fetchone()
        if row is not None:
            return row[0]
        if CODE_PATH_SEPARATOR.strip() in ref:
            df = self.codes_frame()
            hit = df.loc[df["path"] == ref, "code_id"]
            if len(hit):
                return int(hit.iloc[0])
        return None

    def add_code(self, name: str, *, parent: str | int | None = None, key: str | None = None,
                 colour: str | None = None, description: str | None = None, is_codable: bool = True,
                 guid: str | None = None, origin: str = "user") -> int:
        """Add a code outside the bundled codebook (e.g. one a human coder created in a QDA tool)."""
        name = name.strip()
        if not name:
            raise StoreError("a code needs a non-empty name")
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM codes WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"a code named {name!r} already exists")
            parent_id = parent_key = dimension = None
            if parent is not None:
                parent_id = self.code_id(parent)
                prow = conn.execute("SELECT key, dimension FROM codes WHERE id = ?", (parent_id,)).fetchone()
                parent_key, dimension = prow[0], prow[1]
            base = key or (f"{parent_key}/{name}" if parent_key else f"user/{name}")
            key = base
            n = 2
            while conn.execute("SELECT 1 FROM codes WHERE key = ?", (key,)).fetchone():
                key, n = f"{base}~{n}", n + 1
            guid = (guid or str(uuid.uuid4())).strip("{}")
            if conn.execute("SELECT 1 FROM codes WHERE lower(guid) = lower(?)", (guid,)).fetchone():
                guid = str(uuid.uuid4())
            order = conn.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM codes").fetchone()[0]
            cur = conn.execute(
                "INSERT INTO codes(key, name, guid, parent_id, dimension, label, colour, description, "
                "is_codable, sort_order, origin) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
                (key, name, guid, parent_id, dimension, colour, description, int(is_codable), order, origin),
            )
            return int(cur.lastrowid)

    def _label_code_ids(self) -> dict[tuple[str, str], int]:
        rows = self._query("SELECT id, dimension, label FROM codes WHERE label IS NOT NULL")
        return {(r["dimension"], r["label"]): r["id"] for r in rows}

    # ------------------------------------------------------------------ coders

    def add_coder(self, name: str, kind: str = "model", version: str | None = None,
                  guid: str | None = None) -> int:
        """The id of coder ``name``, created when new (``kind`` model or human). A model coder's
        ``version`` is updated when it changes."""
        name = str(name).strip()
        if not name:
            raise StoreError("a coder needs a non-empty name")
        if kind not in CODER_KINDS:
            raise StoreError(f"coder kind must be one of {', '.join(CODER_KINDS)}, not {kind!r}")
        with self.transaction() as conn:
            row = conn.execute("SELECT id, kind, version FROM coders WHERE name = ?", (name,)).fetchone()
            if row is not None:
                if row["kind"] != kind:
                    raise StoreError(f"coder {name!r} exists as a {row['kind']} coder, not {kind}")
                if version is not None and version != row["version"]:
                    conn.execute("UPDATE coders SET version = ? WHERE id = ?", (version, row["id"]))
                return int(row["id"])
            guid = (guid or str(uuid.uuid5(DOC_NAMESPACE, f"coder:{name}"))).strip("{}")
            if conn.execute("SELECT 1 FROM coders WHERE lower(guid) = lower(?)", (guid,)).fetchone():
                guid = str(uuid.uuid4())
            cur = conn.execute("INSERT INTO coders(name, kind, version, guid, created_at) VALUES (?, ?, ?, ?, ?)",
                               (name, kind, version, guid, utcnow()))
            return int(cur.lastrowid)

    def coder_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = ", ".join(self.coders_frame()["name"]) or "none yet"
            raise StoreError(f"no coder named {name!r} in this project (coders: {known})")
        return int(row[0])

    def coders_frame(self) -> pd.DataFrame:
        return self._frame(
            "SELECT c.id AS coder_id, c.name, c.kind, c.version, c.guid, c.created_at, "
            "(SELECT COUNT(*) FROM codings g WHERE g.coder_id = c.id) AS codings, "
            "(SELECT COUNT(*) FROM sentence_labels l WHERE l.coder_id = c.id) AS sentence_labels "
            "FROM coders c ORDER BY c.id"
        )

    def default_coder(self) -> str | None:
        """The model coder that labelled sentences most recently (None when no sentence is labelled)."""
        row = self.conn.execute(
            "SELECT c.name FROM sentence_labels l JOIN coders c ON c.id = l.coder_id "
            "ORDER BY l.created_at DESC, l.id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else row[0]

    # ------------------------------------------------------------------ documents

    def add_document(self, doc: Document, *, source_hash: str | None = None, origin: str = "ingest") -> "AddOutcome":
        """Store a pseudonymized document; returns ``added``, ``updated``, ``metadata`` or ``unchanged``
        (an :class:`AddOutcome`: a string that is false when nothing changed).

        A document whose text changed loses its sentences, labels, codings and reviews (their offsets
        no longer hold); a metadata-only change keeps them. Documents not marked ``pseudonymized``
        are refused: raw text never enters the store.
        """
        if not doc.pseudonymized:
            raise StoreError(
                f"document {doc.doc_id!r} is not pseudonymized; the store holds pseudonymized text only "
                "(use `sprogtro ingest`, which pseudonymizes on the way in)"
            )
        text = doc.text
        meta = {k: v for k, v in (doc.metadata or {}).items() if k not in _DROPPED_METADATA and v is not None}
        fixed = {k: _clean_str(meta.get(k)) for k in _FIXED_COLUMNS}
        free = {k: _jsonable(v) for k, v in meta.items() if k not in _FIXED_COLUMNS}
        meta_json = json.dumps(free, ensure_ascii=False, sort_keys=True)
        chash = content_hash(text)
        now = utcnow()
        with self.transaction() as conn:
            row = conn.execute("SELECT id, content_hash, metadata, municipality, doc_type, date, case_id, "
                               "source_hash FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO documents(doc_id, guid, text, municipality, doc_type, date, case_id, metadata, "
                    "content_hash, source_hash, pseudonymized, origin, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                    (doc.doc_id, document_guid(doc.doc_id), text, *fixed.values(), meta_json, chash,
                     source_hash, origin, now, now),
                )
                self._write_turns(conn, int(cur.lastrowid), text, doc.turns)
                return AddOutcome("added")
            doc_pk = int(row["id"])
            same_meta = (row["metadata"] == meta_json
                         and all(row[k] == fixed[k] for k in _FIXED_COLUMNS))
            if row["content_hash"] == chash:
                if same_meta and (source_hash is None or row["source_hash"] == source_hash):
                    return AddOutcome("unchanged")
                conn.execute(
                    "UPDATE documents SET municipality = ?, doc_type = ?, date = ?, case_id = ?, metadata = ?, "
                    "source_hash = COALESCE(?, source_hash), updated_at = ? WHERE id = ?",
                    (*fixed.values(), meta_json, source_hash, now, doc_pk),
                )
                return AddOutcome("unchanged" if same_meta else "metadata")
            # The text changed: everything anchored on the old text goes.
            conn.execute("DELETE FROM codings WHERE document_id = ?", (doc_pk,))
            conn.execute("DELETE FROM coded_documents WHERE document_id = ?", (doc_pk,))
            conn.execute("DELETE FROM sentences WHERE document_id = ?", (doc_pk,))
            conn.execute("DELETE FROM turns WHERE document_id = ?", (doc_pk,))
            conn.execute(
                "UPDATE documents SET text = ?, municipality = ?, doc_type = ?, date = ?, case_id = ?, "
                "metadata = ?, content_hash = ?, source_hash = ?, updated_at = ? WHERE id = ?",
                (text, *fixed.values(), meta_json, chash, source_hash, now, doc_pk),
            )
            self._write_turns(conn, doc_pk, text, doc.turns)
            return AddOutcome("updated")

    @staticmethod
    def _write_turns(conn: sqlite3.Connection, doc_pk: int, text: str, turns: Iterable[Turn]) -> None:
        rows = []
        for i, turn in enumerate(turns or ()):
            rows.append((doc_pk, i, turn.start, turn.end, _turn_speaker(turn, text), turn.role or "other",
                         turn.label_start, turn.label_end))
        if rows:
            conn.executemany(
                "INSERT INTO turns(document_id, turn_index, start_char, end_char, speaker, role, label_start, "
                "label_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
            )

    def source_hash(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT source_hash FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT doc_id FROM documents ORDER BY doc_id")]

    def get_document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document {doc_id!r} in {self.path}")
        return self._document_from_row(row)

    def iter_documents(self, doc_ids: Iterable[str] | None = None, *, municipality: str | None = None,
                       doc_type: str | None = None, uncoded_by: str | None = None) -> Iterator[Document]:
        """Stored documents (pseudonymized, with turns) in ``doc_id`` order, one at a time.

        ``uncoded_by``: only documents that coder has not coded in their current text (see
        :meth:`coded_doc_ids`; save an empty row list for a document without sentences).
        """
        where, params = [], []
        if doc_ids is not None:
            ids = list(doc_ids)
            if not ids:
                return
            where.append(f"doc_id IN ({','.join('?' * len(ids))})")
            params += ids
        if municipality is not None:
            where.append("municipality = ?")
            params.append(municipality)
        if doc_type is not None:
            where.append("doc_type = ?")
            params.append(doc_type)
        if uncoded_by is not None:  # coded = a save_sentence_coding for this coder on the current text
            where.append("id NOT IN (SELECT k.document_id FROM coded_documents k JOIN coders c ON c.id = k.coder_id "
                         "WHERE c.name = ? AND k.content_hash = documents.content_hash)")
            params.append(uncoded_by)
        sql = "SELECT doc_id FROM documents" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY doc_id"
        for (doc_id,) in self._query(sql, params):
            yield self.get_document(doc_id)

    def _document_from_row(self, row: sqlite3.Row) -> Document:
        meta = json.loads(row["metadata"] or "{}")
        for key in _FIXED_COLUMNS:
            if row[key] is not None:
                meta[key] = row[key]
        turns = [
            Turn(start=t["start_char"], end=t["end_char"], speaker=t["speaker"], role=t["role"],
                 label_start=t["label_start"], label_end=t["label_end"])
            for t in self._query("SELECT * FROM turns WHERE document_id = ? ORDER BY turn_index", (row["id"],))
        ]
        return Document(doc_id=row["doc_id"], text=row["text"], metadata=meta, turns=turns,
                        source_path=None, pseudonymized=bool(row["pseudonymized"]))

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def documents_frame(self, *, with_text: bool = False) -> pd.DataFrame:
        """One row per document: ids, fixed metadata, free metadata as columns, lengths, counts."""
        text_col = ", d.text" if with_text else ""
        df = self._frame(
            "SELECT d.doc_id, d.guid, d.municipality, d.doc_type, d.date, d.case_id, d.metadata, "
            f"length(d.text) AS n_chars, d.content_hash, d.origin, d.created_at, d.updated_at{text_col}, "
            "(SELECT COUNT(*) FROM sentences s WHERE s.document_id = d.id) AS n_sentences, "
            "(SELECT COUNT(*) FROM turns t WHERE t.document_id = d.id) AS n_turns "
            "FROM documents d ORDER BY d.doc_id"
        )
        return _expand_metadata(df)

    # ------------------------------------------------------------------ sentences and model coding

    def save_sentence_coding(self, *args: Any, coder: str, kind: str = "model", version: str | None = None) -> int:
        """Store coded sentences (rows as ``sprogtro.nlp.coding.code_documents`` yields them).

        Call as ``save_sentence_coding(doc_id, rows, coder=…)`` (one document; ``rows`` may be empty for a
        document without sentences) or ``save_sentence_coding(rows, coder=…)`` (rows of any documents,
        grouped by consecutive ``doc_id``).

        Each row needs ``doc_id, sent_index, start_char, end_char, text, framing, expectation, action``
        and may carry ``speaker, role, cues`` (list or JSON), probabilities (``framing_p`` … or a
        ``probabilities`` mapping), ``model_version`` and anything else (kept in ``extra``: ``referent``,
        ``agency`` …). Per document, in one short transaction: sentences are upserted, this coder's labels
        replaced, one coding segment per non-empty label written (code ``framing.deficit`` … over the
        sentence), and the document marked as coded (see :meth:`coded_doc_ids`). Returns the number of
        sentences saved.
        """
        if len(args) == 2:
            doc_id, rows = str(args[0]), list(args[1])
            batches: Iterable[tuple[str, list]] = [(doc_id, [{**r, "doc_id": doc_id} for r in rows])]
        elif len(args) == 1:
            batches = _group_by_doc(args[0])
        else:
            raise TypeError("save_sentence_coding(doc_id, rows, *, coder, …) or save_sentence_coding(rows, *, coder, …)")
        coder_pk = None
        label_codes = self._label_code_ids()
        total = 0
        for doc_id, rows in batches:
            row_version = version or next((str(r["model_version"]) for r in rows if r.get("model_version")), None)
            if coder_pk is None or row_version is not None:
                coder_pk = self.add_coder(coder, kind=kind, version=row_version)
            total += self._save_document_coding(doc_id, rows, coder_pk, row_version, label_codes)
        if coder_pk is None:
            self.add_coder(coder, kind=kind, version=version)
        return total

    def coded_doc_ids(self, coder: str, version: str | None = None) -> set[str]:
        """Documents ``coder`` (optionally: in ``version``) has coded in their current text."""
        sql = ("SELECT d.doc_id FROM coded_documents k JOIN documents d ON d.id = k.document_id "
               "JOIN coders c ON c.id = k.coder_id WHERE c.name = ? AND k.content_hash = d.content_hash")
        params: list[Any] = [coder]
        if version is not None:
            sql += " AND k.version = ?"
            params.append(version)
        return {r[0] for r in self._query(sql, params)}

    def _save_document_coding(self, doc_id: str, rows: list[Mapping[str, Any]], coder_pk: int,
                              version: str | None, label_codes: dict[tuple[str, str], int]) -> int:
        now = utcnow()
        with self.transaction() as conn:
            doc = conn.execute("SELECT id, length(text) AS n, content_hash FROM documents WHERE doc_id = ?",
                               (doc_id,)).fetchone()
            if doc is None:
                raise StoreError(f"cannot save coding for {doc_id!r}: no such document in {self.path}")
            doc_pk, n_chars = int(doc["id"]), int(doc["n"])
            conn.execute(
                "INSERT INTO coded_documents(document_id, coder_id, version, content_hash, sentences, coded_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(document_id, coder_id) DO UPDATE SET version = excluded.version, "
                "content_hash = excluded.content_hash, sentences = excluded.sentences, coded_at = excluded.coded_at",
                (doc_pk, coder_pk, version, doc["content_hash"], len(rows), now))
            existing = {(r["start_char"], r["end_char"]): r["id"] for r in conn.execute(
                "SELECT id, start_char, end_char FROM sentences WHERE document_id = ?", (doc_pk,))}
            keep: set[int] = set()
            conn.execute("DELETE FROM sentence_labels WHERE coder_id = ? AND sentence_id IN "
                         "(SELECT id FROM sentences WHERE document_id = ?)", (coder_pk, doc_pk))
            conn.execute("DELETE FROM codings WHERE coder_id = ? AND document_id = ?", (coder_pk, doc_pk))
            for row in rows:
                start, end = int(row["start_char"]), int(row["end_char"])
                if not (0 <= start <= end <= n_chars):
                    raise StoreError(f"sentence {start}–{end} lies outside document {doc_id!r} ({n_chars} chars)")
                values = (int(row.get("sent_index", 0)), _clean_str(row.get("speaker")),
                          _clean_str(row.get("role")), str(row.get("text") or ""))
                sid = existing.get((start, end))
                if sid is None:
                    sid = conn.execute(
                        "INSERT INTO sentences(document_id, sent_index, start_char, end_char, speaker, role, text) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (doc_pk, values[0], start, end, *values[1:]),
                    ).lastrowid
                    existing[(start, end)] = sid
                else:
                    conn.execute("UPDATE sentences SET sent_index = ?, speaker = ?, role = ?, text = ? WHERE id = ?",
                                 (*values, sid))
                keep.add(sid)
                labels = {dim: _clean_str(row.get(dim)) for dim in DIMENSIONS}
                probs = _probabilities(row)
                cues = _cues_json(row.get("cues"))
                extra = {k: _jsonable(v) for k, v in row.items() if k not in _SENTENCE_ROW_KEYS
                         and not k.endswith(("_p", "_prob", "_proba"))}
                conn.execute(
                    "INSERT INTO sentence_labels(sentence_id, coder_id, framing, expectation, action, probabilities, "
                    "cues, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (sid, coder_pk, labels["framing"], labels["expectation"], labels["action"],
                     json.dumps(probs, sort_keys=True), cues, json.dumps(extra, ensure_ascii=False, default=str), now),
                )
                for dim, label in labels.items():
                    if label is None or label == EMPTY_LABELS[dim]:
                        continue
                    code = label_codes.get((dim, label))
                    if code is None:
                        allowed = sorted(lab for d, lab in label_codes if d == dim)
                        raise StoreError(f"label {label!r} for {dim} is not in the codebook (allowed: "
                                         f"{', '.join(allowed)})")
                    conn.execute(
                        "INSERT OR REPLACE INTO codings(guid, coder_id, code_id, document_id, start_char, end_char, "
                        "sentence_id, confidence, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (str(uuid.uuid4()), coder_pk, code, doc_pk, start, end, sid, probs.get(dim), "model", now),
                    )
            # Sentences of an older segmentation go unless someone still refers to them.
            stale = [sid for sid in existing.values() if sid not in keep]
            for sid in stale:
                used = conn.execute(
                    "SELECT (SELECT COUNT(*) FROM sentence_labels WHERE sentence_id = ?) + "
                    "(SELECT COUNT(*) FROM reviews WHERE sentence_id = ?) + "
                    "(SELECT COUNT(*) FROM memos WHERE sentence_id = ?)", (sid, sid, sid)).fetchone()[0]
                if not used:
                    conn.execute("DELETE FROM sentences WHERE id = ?", (sid,))
        return len(rows)

    def save_sentences(self, doc_id: str, spans: Iterable[tuple[int, int]]) -> list[int]:
        """Store sentence boundaries for a document without labels (e.g. for agreement on imported
        human codings). Existing sentences are kept; returns the ids in span order."""
        with self.transaction() as conn:
            doc = conn.execute("SELECT id, text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            if doc is None:
                raise StoreError(f"no document {doc_id!r} in {self.path}")
            ids = []
            for i, (start, end) in enumerate(spans):
                row = conn.execute("SELECT id FROM sentences WHERE document_id = ? AND start_char = ? AND "
                                   "end_char = ?", (doc["id"], start, end)).fetchone()
                if row is None:
                    row = [conn.execute(
                        "INSERT INTO sentences(document_id, sent_index, start_char, end_char, text) "
                        "VALUES (?, ?, ?, ?, ?)", (doc["id"], i, start, end, doc["text"][start:end])).lastrowid]
                ids.append(int(row[0]))
            return ids

    def sentences_frame(self, coder: str | None = None, *, apply_reviews: bool = False,
                        doc_ids: Iterable[str] | None = None, all_sentences: bool = False) -> pd.DataFrame:
        """One row per coded sentence with its labels and document metadata (the analysis table).

        Columns: ``sentence_id, doc_id, sent_index, start_char, end_char, speaker, role, text, framing,
        expectation, action, framing_p, expectation_p, action_p, cues`` (JSON list), ``coder,
        model_version, municipality, doc_type, date, case_id``, the coder's extra row values (``referent``,
        ``agency`` …) and free document metadata.
        ``coder``: whose labels (default: the model coder that coded most recently).
        ``apply_reviews``: a review with a ``corrected_value`` replaces the label (latest review wins);
        ``reviewed`` tells which rows changed. ``all_sentences``: also sentences without labels.
        """
        coder = coder or self.default_coder()
        params: list[Any] = [coder]
        join = "LEFT JOIN" if all_sentences or coder is None else "JOIN"
        where = ""
        if doc_ids is not None:
            ids = list(doc_ids)
            where = f"WHERE d.doc_id IN ({','.join('?' * len(ids))})" if ids else "WHERE 0"
            params += ids
        df = self._frame(
            "SELECT s.id AS sentence_id, d.doc_id, s.sent_index, s.start_char, s.end_char, s.speaker, s.role, "
            "s.text, l.framing, l.expectation, l.action, l.probabilities, l.cues, c.name AS coder, "
            "c.version AS model_version, d.municipality, d.doc_type, d.date, d.case_id, l.extra, d.metadata "
            "FROM sentences s JOIN documents d ON d.id = s.document_id "
            f"{join} (sentence_labels l JOIN coders c ON c.id = l.coder_id AND c.name = ?) ON l.sentence_id = s.id "
            f"{where} ORDER BY d.doc_id, s.start_char, s.end_char",
            params,
        )
        probs = [json.loads(p) if isinstance(p, str) else {} for p in df.pop("probabilities")]
        for dim in DIMENSIONS:
            df.insert(df.columns.get_loc("cues"), f"{dim}_p", [p.get(dim) for p in probs])
        df["cues"] = [c if isinstance(c, str) else "[]" for c in df["cues"]]
        df = _expand_metadata(df, "extra")
        if apply_reviews:
            df["reviewed"] = False
            corrections = self._frame(
                "SELECT sentence_id, dimension, corrected_value FROM reviews WHERE corrected_value IS NOT NULL "
                "AND corrected_value != '' ORDER BY created_at, id")
            pos = {sid: i for i, sid in enumerate(df["sentence_id"])}
            for sid, dim, value in corrections.itertuples(index=False):
                if sid in pos and dim in DIMENSIONS:
                    df.at[pos[sid], dim] = value
                    df.at[pos[sid], "reviewed"] = True
        return _expand_metadata(df)

    def sentence_labels_frame(self, coders: Iterable[str] | None = None) -> pd.DataFrame:
        """Every stored sentence label: ``sentence_id, doc_id, start_char, end_char, coder, framing,
        expectation, action, cues`` (JSON), optionally for some coders only."""
        where, params = "", []
        if coders is not None:
            names = list(coders)
            where = f"WHERE c.name IN ({','.join('?' * len(names))})" if names else "WHERE 0"
            params = names
        return self._frame(
            "SELECT l.sentence_id, d.doc_id, s.start_char, s.end_char, c.name AS coder, l.framing, l.expectation, "
            "l.action, l.cues FROM sentence_labels l JOIN coders c ON c.id = l.coder_id "
            "JOIN sentences s ON s.id = l.sentence_id JOIN documents d ON d.id = s.document_id "
            f"{where} ORDER BY d.doc_id, s.start_char, s.end_char, c.name", params)

    def sentence_spans(self, doc_id: str) -> dict[tuple[int, int], int]:
        """(start, end) → sentence id for every stored sentence of a document."""
        return {(r["start_char"], r["end_char"]): int(r["id"]) for r in self._query(
            "SELECT s.id, s.start_char, s.end_char FROM sentences s JOIN documents d ON d.id = s.document_id "
            "WHERE d.doc_id = ?", (doc_id,))}

    def sentence_id(self, doc_id: str, sent_index: int, coder: str | None = None) -> int:
        """The id of sentence ``sent_index`` of ``doc_id`` (as labelled by ``coder``, default the latest)."""
        df = self.sentences_frame(coder, doc_ids=[doc_id], all_sentences=True)
        hit = df.loc[df["sent_index"] == sent_index, "sentence_id"]
        if not len(hit):
            raise StoreError(f"no sentence {sent_index} in document {doc_id!r}")
        return int(hit.iloc[0])

    # ------------------------------------------------------------------ codings

    def add_codings(self, rows: Iterable[Mapping[str, Any]], *, coder: str, kind: str = "human",
                    version: str | None = None, origin: str | None = None) -> int:
        """Store coded segments ``{doc_id, code, start_char, end_char[, confidence, guid, sentence_id]}``
        (``start``/``end`` also accepted; ``code`` as key, name, guid or id). Existing identical
        segments are kept once. Returns the number of new segments."""
        coder_pk = self.add_coder(coder, kind=kind, version=version)
        added = 0
        now = utcnow()
        with self.transaction() as conn:
            doc_cache: dict[str, tuple[int, int]] = {}
            for row in rows:
                doc_id = str(row["doc_id"])
                if doc_id not in doc_cache:
                    d = conn.execute("SELECT id, length(text) FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
                    if d is None:
                        raise StoreError(f"cannot add a coding to {doc_id!r}: no such document")
                    doc_cache[doc_id] = (int(d[0]), int(d[1]))
                doc_pk, n = doc_cache[doc_id]
                start = int(row.get("start_char", row.get("start")))
                end = int(row.get("end_char", row.get("end")))
                if not (0 <= start <= end <= n):
                    raise StoreError(f"coding {start}–{end} lies outside document {doc_id!r} ({n} chars)")
                code = self.code_id(row["code"] if not isinstance(row["code"], float) else int(row["code"]))
                guid = str(row.get("guid") or uuid.uuid4()).strip("{}")
                if conn.execute("SELECT 1 FROM codings WHERE guid = ?", (guid,)).fetchone():
                    guid = str(uuid.uuid4())
                cur = conn.execute(
                    "INSERT OR IGNORE INTO codings(guid, coder_id, code_id, document_id, start_char, end_char, "
                    "sentence_id, confidence, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (guid, coder_pk, code, doc_pk, start, end, row.get("sentence_id"), row.get("confidence"),
                     origin, str(row.get("created_at") or now)),
                )
                added += cur.rowcount
        return added

    def codings_frame(self, coder: str | Iterable[str] | None = None, *, with_text: bool = True) -> pd.DataFrame:
        """One row per coded segment with code, coder and document metadata."""
        where, params = "", []
        if coder is not None:
            names = [coder] if isinstance(coder, str) else list(coder)
            where = f"WHERE k.name IN ({','.join('?' * len(names))})"
            params = names
        text = ", substr(d.text, g.start_char + 1, g.end_char - g.start_char) AS text" if with_text else ""
        df = self._frame(
            "SELECT g.id AS coding_id, g.guid, k.name AS coder, k.kind AS coder_kind, k.version AS coder_version, "
            "c.key AS code_key, c.name AS code, c.dimension, c.label, d.doc_id, g.start_char, g.end_char"
            f"{text}, g.sentence_id, s.sent_index, g.confidence, g.origin, g.created_at, "
            "d.municipality, d.doc_type, d.date, d.case_id, d.metadata "
            "FROM codings g JOIN coders k ON k.id = g.coder_id JOIN codes c ON c.id = g.code_id "
            "JOIN documents d ON d.id = g.document_id LEFT JOIN sentences s ON s.id = g.sentence_id "
            f"{where} ORDER BY d.doc_id, g.start_char, g.end_char, c.sort_order, k.name",
            params,
        )
        codes = self.codes_frame()
        paths = dict(zip(codes["key"], codes["path"]))
        df.insert(df.columns.get_loc("code") + 1, "code_path", [paths.get(k) for k in df["code_key"]])
        return _expand_metadata(df)

    # ------------------------------------------------------------------ reviews

    def add_review(self, sentence_id: int, reviewer: str, dimension: str, verdict: str,
                   corrected: str | None = None, comment: str | None = None, *,
                   corrected_value: str | None = None, coder: str | None = None) -> int:
        """Record a reviewer's verdict (``agree``, ``disagree``, ``skip``, ``comment``) on one sentence's
        label on one dimension, with the corrected label (``corrected``, alias ``corrected_value``) and
        whose label was reviewed (``coder``). Returns the review id."""
        corrected_value = corrected_value if corrected_value is not None else corrected
        if not str(reviewer).strip():
            raise StoreError("a review needs a reviewer name")
        coder_pk = self.coder_id(coder) if coder else None
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM sentences WHERE id = ?", (sentence_id,)).fetchone() is None:
                raise StoreError(f"no sentence with id {sentence_id}")
            cur = conn.execute(
                "INSERT INTO reviews(sentence_id, reviewer, dimension, verdict, corrected_value, comment, coder_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sentence_id, reviewer.strip(), dimension, verdict, corrected_value, comment, coder_pk, utcnow()),
            )
            return int(cur.lastrowid)

    def reviews_frame(self) -> pd.DataFrame:
        """One row per review with the sentence, the reviewed coder's label on that dimension and metadata."""
        df = self._frame(
            "SELECT r.id AS review_id, r.sentence_id, d.doc_id, s.sent_index, s.start_char, s.end_char, s.text, "
            "r.reviewer, r.dimension, r.verdict, r.corrected_value, r.comment, c.name AS coder, r.created_at, "
            "CASE r.dimension WHEN 'framing' THEN l.framing WHEN 'expectation' THEN l.expectation "
            "WHEN 'action' THEN l.action END AS label, "
            "d.municipality, d.doc_type, d.date, d.case_id "
            "FROM reviews r JOIN sentences s ON s.id = r.sentence_id JOIN documents d ON d.id = s.document_id "
            "LEFT JOIN coders c ON c.id = r.coder_id "
            "LEFT JOIN sentence_labels l ON l.sentence_id = r.sentence_id AND l.coder_id = r.coder_id "
            "ORDER BY r.created_at, r.id"
        )
        return df

    def reviewed_labels(self) -> pd.DataFrame:
        """Labels confirmed or corrected by reviewers, for training: ``sentence_id, doc_id, text, framing,
        expectation, action, source`` (``review``). Per sentence and dimension the latest decisive review
        counts: a corrected label, or the reviewed coder's label on ``agree``. Dimensions nobody decided
        stay empty (None); sentences with no decided dimension are left out."""
        reviews = self.reviews_frame()
        cols = ["sentence_id", "doc_id", "text", *DIMENSIONS, "source"]
        if not len(reviews):
            return pd.DataFrame(columns=cols)
        decided: dict[int, dict[str, Any]] = {}
        for r in reviews.to_dict("records"):  # oldest first: later reviews overwrite
            value = _clean_str(r["corrected_value"])
            if value is None and r["verdict"] in AGREE_VERDICTS:
                value = _clean_str(r["label"])
            if value is None or r["dimension"] not in DIMENSIONS:
                continue
            entry = decided.setdefault(r["sentence_id"], {"sentence_id": r["sentence_id"], "doc_id": r["doc_id"],
                                                          "text": r["text"], "source": "review"})
            entry[r["dimension"]] = value
        return pd.DataFrame([{c: e.get(c) for c in cols} for e in decided.values()], columns=cols)

    # ------------------------------------------------------------------ memos

    def add_memo(self, text: str, *, title: str | None = None, doc_id: str | None = None,
                 sentence_id: int | None = None, code: str | int | None = None, author: str | None = None,
                 guid: str | None = None) -> int:
        """A memo on the project, a document, a sentence or a code (exported as REFI-QDA Notes)."""
        with self.transaction() as conn:
            doc_pk = None
            if doc_id is not None:
                row = conn.execute("SELECT id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
                if row is None:
                    raise StoreError(f"no document {doc_id!r}")
                doc_pk = row[0]
            if doc_pk is None and sentence_id is not None:  # a sentence memo belongs to its document
                row = conn.execute("SELECT document_id FROM sentences WHERE id = ?", (sentence_id,)).fetchone()
                if row is None:
                    raise StoreError(f"no sentence with id {sentence_id}")
                doc_pk = row[0]
            code_pk = self.code_id(code) if code is not None else None
            guid = str(guid or uuid.uuid4()).strip("{}")
            if conn.execute("SELECT 1 FROM memos WHERE lower(guid) = lower(?)", (guid,)).fetchone():
                guid = str(uuid.uuid4())
            cur = conn.execute(
                "INSERT INTO memos(guid, title, text, document_id, sentence_id, code_id, author, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (guid, title, text, doc_pk, sentence_id, code_pk, author, utcnow()),
            )
            return int(cur.lastrowid)

    def memos_frame(self) -> pd.DataFrame:
        return self._frame(
            "SELECT m.id AS memo_id, m.guid, m.title, m.text, d.doc_id, d.guid AS doc_guid, m.sentence_id, "
            "c.key AS code_key, c.guid AS code_guid, m.author, m.created_at "
            "FROM memos m LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN codes c ON c.id = m.code_id "
            "ORDER BY m.id"
        )

    # ------------------------------------------------------------------ overview

    def status(self) -> dict[str, Any]:
        """Counts for ``sprogtro status``: documents per municipality and type, codings per code and
        coder, coders, reviews per verdict, memos."""
        def counts(sql: str) -> dict[str, int]:
            return {("(ukendt)" if k is None else str(k)): int(v) for k, v in self._query(sql)}

        return {
            "project": self.name,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "documents": self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "sentences": self.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0],
            "turns": self.conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0],
            "by_municipality": counts("SELECT municipality, COUNT(*) FROM documents GROUP BY 1 ORDER BY 1"),
            "by_doc_type": counts("SELECT doc_type, COUNT(*) FROM documents GROUP BY 1 ORDER BY 1"),
            "by_code": counts("SELECT c.name, COUNT(*) FROM codings g JOIN codes c ON c.id = g.code_id "
                              "GROUP BY c.id ORDER BY c.sort_order"),
            "coders": [
                {"name": r["name"], "kind": r["kind"], "version": r["version"], "codings": int(r["codings"]),
                 "sentence_labels": int(r["sentence_labels"])}
                for r in self.coders_frame().to_dict("records")
            ],
            "reviews": self.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0],
            "reviews_by_verdict": counts("SELECT verdict, COUNT(*) FROM reviews GROUP BY 1 ORDER BY 1"),
            "memos": self.conn.execute("SELECT COUNT(*) FROM memos").fetchone()[0],
        }


# ---------------------------------------------------------------------- helpers

_SENTENCE_ROW_KEYS = frozenset({
    "doc_id", "sent_index", "start_char", "end_char", "speaker", "role", "text", "framing", "expectation",
    "action", "cues", "probabilities", "municipality", "doc_type", "date", "case_id", "coder", "model_version",
})


def _group_by_doc(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """Consecutive rows of one document as (doc_id, rows) batches, streaming."""
    batch: list[Mapping[str, Any]] = []
    current = None
    for row in rows:
        doc_id = str(row["doc_id"])
        if current is not None and doc_id != current:
            yield current, batch
            batch = []
        current = doc_id
        batch.append(row)
    if batch:
        yield current, batch


def _code_path(key: str, names: dict, parents: dict) -> list[str]:
    path = []
    seen = set()
    while key is not None and key == key and key not in seen:  # key == key: not NaN
        seen.add(key)
        path.append(names[key])
        key = parents.get(key)
    return path[::-1]


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        if isinstance(value, float) and value != value:
            return None
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return str(value)


def _probabilities(row: Mapping[str, Any]) -> dict[str, float]:
    probs: dict[str, float] = {}
    given = row.get("probabilities")
    if isinstance(given, str) and given.strip():
        given = json.loads(given)
    if isinstance(given, Mapping):
        for dim in DIMENSIONS:
            if given.get(dim) is not None:
                probs[dim] = float(given[dim])
    for dim in DIMENSIONS:
        for suffix in ("_p", "_prob", "_proba"):
            value = row.get(f"{dim}{suffix}")
            if value is not None and not (isinstance(value, float) and value != value):
                probs[dim] = float(value)
    return probs


def _cues_json(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "[]"
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return json.dumps(_jsonable(list(value)), ensure_ascii=False)


def _turn_speaker(turn: Turn, text: str) -> str | None:
    """The speaker label as it stands in the pseudonymized text (never a name from elsewhere)."""
    if turn.label_start is not None and turn.label_end is not None and turn.label_end > turn.label_start:
        label = text[turn.label_start:turn.label_end].strip().rstrip(":").strip()
        return label or None
    if turn.speaker and turn.speaker in text:
        return turn.speaker
    return None


def _expand_metadata(df: pd.DataFrame, column: str = "metadata") -> pd.DataFrame:
    """Turn a JSON column (``metadata``) into one column per key (existing columns win)."""
    if column not in df.columns:
        return df
    parsed = [json.loads(m) if isinstance(m, str) and m else {} for m in df.pop(column)]
    keys = sorted({k for m in parsed for k in m} - set(df.columns))
    for key in keys:
        df[key] = [m.get(key) for m in parsed]
    return df


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
