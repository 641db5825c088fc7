"""Tables (.csv, .tsv, .xlsx): one document per row.

The text column and the id column are chosen by the caller or found by name (``text``/``tekst``/
``notat``…, ``id``/``doc_id``…). Every other column becomes metadata (``kommune`` → ``municipality`` etc.,
see :data:`~sprogtro.corpus.metadata.METADATA_ALIASES`). CSV rows are parsed in chunks of
:data:`CHUNK_ROWS` (the decoded text is held once); the delimiter (``,`` ``;`` tab ``|``) and the encoding
are detected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sprogtro.corpus.metadata import fold
from sprogtro.corpus.normalize import decode_bytes, normalize_text
from sprogtro.errors import ReadError

TEXT_COLUMN_NAMES = ("text", "tekst", "notat", "note", "indhold", "content", "body", "journalnotat", "sentence", "saetning")
ID_COLUMN_NAMES = ("id", "doc_id", "docid", "document_id", "dokument_id", "noteid", "notat_id", "nr", "loebenummer")
CHUNK_ROWS = 5000


def _find_column(columns: list[str], wanted: str | None, defaults: tuple[str, ...], kind: str, path: Path) -> str | None:
    if wanted is not None:
        for column in columns:
            if column == wanted:
                return column
        for column in columns:
            if fold(column) == fold(wanted):
                return column
        raise ReadError(
            path, f"{kind} column {wanted!r} not found; available columns: {', '.join(map(str, columns)) or 'none'}"
        )
    folded = {fold(str(c)): c for c in columns}
    for name in defaults:
        if fold(name) in folded:
            return folded[fold(name)]
    return None


def iter_table_rows(
    path: Path, text_column: str | None = None, id_column: str | None = None
) -> Iterator[tuple[int, str | None, str, dict[str, Any]]]:
    """Yield ``(row_number, id_value, text, other_columns)`` per row with non-empty text (rows count from 1)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frames = _excel_frames(path)
    else:
        frames = _csv_frames(path, sep="\t" if suffix == ".tsv" else None)
    text_col = id_col = None
    row_number = 0
    for frame in frames:
        columns = [str(c) for c in frame.columns]
        frame.columns = columns
        if text_col is None:
            text_col = _find_column(columns, text_column, TEXT_COLUMN_NAMES, "text", path)
            if text_col is None:
                raise ReadError(
                    path,
                    "no text column found; choose one with --text-column. "
                    f"Available columns: {', '.join(columns) or 'none'}",
                )
            id_col = _find_column(columns, id_column, ID_COLUMN_NAMES, "id", path)
        for record in frame.to_dict(orient="records"):
            row_number += 1
            text = _cell(record.pop(text_col))
            if not text:
                continue
            id_value = _cell(record.pop(id_col)) if id_col is not None else None
            extra = {key: value for key, value in ((k, _cell(v)) for k, v in record.items()) if value}
            yield row_number, id_value or None, text, extra


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def _csv_frames(path: Path, sep: str | None):
    import pandas as pd

    try:
        text, _ = decode_bytes(path.read_bytes())
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from exc
    text = normalize_text(text)
    if not text.strip():
        raise ReadError(path, "empty table")
    if sep is None:
        try:
            sep = csv.Sniffer().sniff(text[:8192].split("\n", 20)[0] + "\n", delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
    try:
        reader = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, chunksize=CHUNK_ROWS, engine="python"
        )
        yield from reader
    except (pd.errors.ParserError, csv.Error, UnicodeError) as exc:
        raise ReadError(path, f"not a readable CSV table ({exc.__class__.__name__})") from exc


def _excel_frames(path: Path):
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl/zipfile raise assorted types for corrupt files
        raise ReadError(path, f"not a readable .xlsx workbook ({exc.__class__.__name__})") from exc
    yield frame
