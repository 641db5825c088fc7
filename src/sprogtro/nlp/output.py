"""Streaming, resumable output of coded rows: CSV, JSONL, Parquet (row groups) and XLSX (write-only).

Rows are appended to ``OUT.partial`` (JSON lines) as documents finish; after every flushed batch
``OUT.progress.json`` records how many documents are done and how many bytes of the partial file hold
them. A killed run resumes from that checkpoint (the partial file is truncated to it, the finished
documents are skipped) and, once every document is coded, the partial file is converted to the
requested format in one streaming pass, written to a temporary name and renamed into place. Same input,
options and model version → the same final file, killed or not.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from sprogtro.errors import SprogtroError
from sprogtro.nlp.coding import COLUMNS

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
INT_COLUMNS = ("sent_index", "start_char", "end_char")
FLOAT_COLUMNS = ("framing_p", "expectation_p", "action_p")
ROW_GROUP_ROWS = 10_000
XLSX_MAX_ROWS = 1_048_575


class OutputError(SprogtroError):
    """The output file cannot be written (unknown format, unwritable place, foreign checkpoint)."""


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` when given, else from the file suffix."""
    if fmt:
        fmt = fmt.lower()
    else:
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet", "xlsm": "xlsx"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise OutputError(f"unknown output format {fmt or '(no suffix)'!r}: use --format {'|'.join(FORMATS)}")
    return fmt


# ----------------------------------------------------------------------------------------------- arrow
def arrow_schema():
    import pyarrow as pa

    fields = []
    for name in COLUMNS:
        if name in INT_COLUMNS:
            fields.append(pa.field(name, pa.int64()))
        elif name in FLOAT_COLUMNS:
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def _normalise(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name in COLUMNS:
        value = row.get(name)
        if name == "cues" and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        if name in INT_COLUMNS and value is not None:
            value = int(value)
        elif name in FLOAT_COLUMNS and value is not None:
            value = float(value)
        elif value is not None and name not in INT_COLUMNS + FLOAT_COLUMNS:
            value = str(value)
        out[name] = value
    return out


def rows_to_table(rows: Iterable[dict[str, Any]]):
    """Rows → a ``pyarrow.Table`` with the coding columns and types (the local engine's Parquet schema)."""
    import pyarrow as pa

    schema = arrow_schema()
    data = [_normalise(r) for r in rows]
    return pa.Table.from_pylist(data, schema=schema)


# --------------------------------------------------------------------------------------------- writers
def _iter_partial(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_rows(rows: Iterable[dict[str, Any]], path: str | Path, fmt: str) -> int:
    """Write rows to ``path`` in ``fmt`` (streaming; via a temporary file renamed into place)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    try:
        if fmt == "csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), lineterminator="\n")
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: ("" if v is None else v) for k, v in _normalise(row).items()})
                    n += 1
        elif fmt == "jsonl":
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(json.dumps(_normalise(row), ensure_ascii=False) + "\n")
                    n += 1
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            with pq.ParquetWriter(tmp, arrow_schema()) as writer:
                for chunk in _chunks(iter(rows), ROW_GROUP_ROWS):
                    writer.write_table(rows_to_table(chunk))
                    n += len(chunk)
        elif fmt == "xlsx":
            n = _write_xlsx(rows, tmp)
        else:
            raise OutputError(f"unknown output format {fmt!r}")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def _write_xlsx(rows: Iterable[dict[str, Any]], path: Path) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("coded")
    sheet.append(list(COLUMNS))
    n = 0
    for row in rows:
        if n >= XLSX_MAX_ROWS:
            raise OutputError(f"more than {XLSX_MAX_ROWS:,} sentences do not fit in one XLSX sheet: use --format parquet")
        values = _normalise(row)
        sheet.append([_xlsx_cell(values[c]) for c in COLUMNS])
        n += 1
    workbook.save(path)
    return n


def _xlsx_cell(value):
    if isinstance(value, str):
        # strip control characters openpyxl refuses; keep text otherwise untouched
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


# ------------------------------------------------------------------------------------------ resumable
class ResumableOutput:
    """Append rows per finished document, checkpoint, resume, and finalise atomically.

    ``fingerprint`` identifies the run (inputs, options, model version): a checkpoint with another
    fingerprint is discarded, so a resumed run never mixes outputs of different models.
    """

    def __init__(self, path: str | Path, fmt: str, fingerprint: str, *, checkpoint_every: int = 20) -> None:
        self.path = Path(path)
        self.fmt = fmt
        self.fingerprint = fingerprint
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.progress = self.path.with_name(self.path.name + ".progress.json")
        self.checkpoint_every = checkpoint_every
        self.documents_done = 0
        self.rows_done = 0
        self._fh: io.TextIOWrapper | None = None
        self._since = 0

    def open(self) -> int:
        """Open for appending; returns how many documents a previous run already finished (to skip)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = self._read_progress()
        if state and state.get("fingerprint") == self.fingerprint and self.partial.exists():
            size = int(state.get("bytes", 0))
            with self.partial.open("r+b") as fh:
                fh.truncate(size)
            self.documents_done = int(state.get("documents", 0))
            self.rows_done = int(state.get("rows", 0))
        else:
            self.partial.write_bytes(b"")
            self.documents_done = self.rows_done = 0
            self._write_progress()
        self._fh = self.partial.open("a", encoding="utf-8", newline="\n")
        return self.documents_done

    def add_document(self, rows: list[dict[str, Any]]) -> None:
        """Append one finished document's rows; checkpoints every ``checkpoint_every`` documents."""
        assert self._fh is not None, "open() first"
        for row in rows:
            self._fh.write(json.dumps(_normalise(row), ensure_ascii=False) + "\n")
        self.documents_done += 1
        self.rows_done += len(rows)
        self._since += 1
        if self._since >= self.checkpoint_every:
            self.checkpoint()

    def checkpoint(self) -> None:
        if self._fh is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._write_progress()
        self._since = 0

    def finalise(self) -> int:
        """Convert the partial file to the final format, rename into place, remove the checkpoint files."""
        self.checkpoint()
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        n = write_rows(_iter_partial(self.partial), self.path, self.fmt)
        self.partial.unlink(missing_ok=True)
        self.progress.unlink(missing_ok=True)
        return n

    def close(self) -> None:
        """Stop without finalising (the checkpoint stays for the next run)."""
        if self._fh is not None:
            self.checkpoint()
            self._fh.close()
            self._fh = None

    def _read_progress(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.progress.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_progress(self) -> None:
        size = self.partial.stat().st_size if self.partial.exists() else 0
        state = {"fingerprint": self.fingerprint, "documents": self.documents_done, "rows": self.rows_done,
                 "bytes": size, "format": self.fmt}
        tmp = self.progress.with_name(self.progress.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.progress)


def run_fingerprint(*parts: Any) -> str:
    """A stable digest of what decides a run's output."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
