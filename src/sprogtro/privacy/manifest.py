"""The pseudonymization manifest: what ``sprogtro pseudonymize`` has done, kept on disk so that a re-run or
a resumed run skips finished documents, at any corpus size, without holding one record per document in
memory.

``OUT_DIR/sprogtro-manifest.db`` (SQLite) has one row per output path: the keyed hash of its source (see
:func:`sprogtro.privacy.batch.document_hash`), the entity counts and the pseudonymized metadata (both
JSON). It holds nothing the outputs beside it do not already show. A ``sprogtro-manifest.json`` left by an
older sprogtro is taken over on first use and removed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sprogtro.errors import SprogtroError

MANIFEST = "sprogtro-manifest.db"
LEGACY_MANIFEST = "sprogtro-manifest.json"
FORMAT = "sprogtro-pseudonymize-manifest"
VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    output TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    counts TEXT NOT NULL,
    metadata TEXT NOT NULL
);
"""


class Manifest:
    """Rows of ``output → (hash, counts, metadata)``; changes become durable at :meth:`commit`."""

    def __init__(self, out_dir: str | Path) -> None:
        out_dir = Path(out_dir)
        self.path = out_dir / MANIFEST
        try:
            self._conn = sqlite3.connect(self.path, timeout=60)
            self._conn.executescript(_SCHEMA)
            self._conn.executemany("INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)",
                                   [("format", FORMAT), ("version", str(VERSION))])
            if self._conn.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()[0] != FORMAT:
                raise sqlite3.DatabaseError("foreign database")
            self._conn.commit()
        except sqlite3.DatabaseError:
            raise SprogtroError(f"{self.path} is not a sprogtro manifest, or it is damaged; move it away "
                                "(the next run then re-processes every document)") from None
        self._take_over_legacy(out_dir / LEGACY_MANIFEST)

    def get(self, output: str) -> dict | None:
        row = self._conn.execute("SELECT hash, counts, metadata FROM documents WHERE output = ?", (output,)).fetchone()
        if row is None:
            return None
        return {"hash": row[0], "counts": json.loads(row[1]), "metadata": json.loads(row[2])}

    def put(self, output: str, digest: str, counts: dict, metadata: dict) -> None:
        self._conn.execute("INSERT OR REPLACE INTO documents (output, hash, counts, metadata) VALUES (?, ?, ?, ?)",
                           (output, digest, _dumps(counts), _dumps(metadata)))

    def delete(self, output: str) -> None:
        self._conn.execute("DELETE FROM documents WHERE output = ?", (output,))

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.commit()
        self._conn.close()

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def outputs(self) -> list[str]:
        """Every output path, sorted (for tests and small corpora; the report streams :meth:`rows`)."""
        return [row[0] for row in self._conn.execute("SELECT output FROM documents ORDER BY output")]

    def rows(self) -> Iterator[tuple[str, dict, dict]]:
        """(output, counts, metadata) in output order, streamed."""
        # A cursor of its own, so that the caller may write while reading.
        for output, counts, metadata in self._conn.cursor().execute(
                "SELECT output, counts, metadata FROM documents ORDER BY output"):
            yield output, json.loads(counts), json.loads(metadata)

    def metadata_keys(self) -> list[str]:
        keys: set[str] = set()
        for (metadata,) in self._conn.execute("SELECT DISTINCT metadata FROM documents WHERE metadata != '{}'"):
            keys.update(json.loads(metadata))
        return sorted(keys)

    def claimed_this_run(self) -> "_Claimed":
        """A set-like record of the output paths this run has taken, in a temporary table (on disk)."""
        return _Claimed(self._conn)

    def _take_over_legacy(self, legacy: Path) -> None:
        if not legacy.is_file():
            return
        try:
            documents = json.loads(legacy.read_text(encoding="utf-8")).get("documents")
        except (OSError, ValueError, AttributeError):
            documents = None
        if isinstance(documents, dict):
            for output, record in documents.items():
                if isinstance(record, dict) and record.get("hash"):
                    self._conn.execute(
                        "INSERT OR IGNORE INTO documents (output, hash, counts, metadata) VALUES (?, ?, ?, ?)",
                        (output, record["hash"], _dumps(record.get("counts") or {}),
                         _dumps(record.get("metadata") or {})))
        self._conn.commit()
        legacy.unlink(missing_ok=True)


class _Claimed:
    """``in`` and ``add`` over a temporary table: the run's output paths, forgotten when it ends."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS claimed (output TEXT PRIMARY KEY)")

    def __contains__(self, output: str) -> bool:
        return self._conn.execute("SELECT 1 FROM claimed WHERE output = ?", (output,)).fetchone() is not None

    def add(self, output: str) -> None:
        self._conn.execute("INSERT OR IGNORE INTO claimed (output) VALUES (?)", (output,))


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
