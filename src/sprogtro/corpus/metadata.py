"""Document metadata: municipality, document type, date, case id, speaker roles.

Three sources, merged per document with the most explicit winning:
CLI flags (one value for the whole run) > metadata CSV keyed by relative path > table columns >
the folder layout ``<municipality>/<doc-type>/file``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sprogtro.corpus.normalize import decode_bytes, normalize_text
from sprogtro.errors import ReadError

# The canonical document types. "visitation" covers visitation and henvisning (referral).
DOC_TYPES = ("journalnotat", "visitation", "mødereferat", "transskription", "virksomhedskorrespondance")

# Stems looked for in a folded folder name or value (æ→ae, ø→oe, å→aa, no separators), first hit wins.
_DOC_TYPE_STEMS: tuple[tuple[str, str], ...] = (
    ("transskri", "transskription"),
    ("transkri", "transskription"),
    ("transcri", "transskription"),
    ("interview", "transskription"),
    ("journalnot", "journalnotat"),
    ("journal", "journalnotat"),
    ("notat", "journalnotat"),
    ("visitation", "visitation"),
    ("henvisning", "visitation"),
    ("referral", "visitation"),
    ("referat", "mødereferat"),
    ("minutes", "mødereferat"),
    ("korrespondance", "virksomhedskorrespondance"),
    ("virksomhed", "virksomhedskorrespondance"),
    ("correspondence", "virksomhedskorrespondance"),
)

# Column names (folded) accepted for the known metadata keys, in CSVs and tables.
METADATA_ALIASES: dict[str, str] = {
    "municipality": "municipality", "kommune": "municipality",
    "doctype": "doc_type", "documenttype": "doc_type", "dokumenttype": "doc_type", "type": "doc_type",
    "date": "date", "dato": "date",
    "caseid": "case_id", "sagsid": "case_id", "sagsnr": "case_id", "sagsnummer": "case_id", "case": "case_id",
    "speakerroles": "speaker_roles", "talerroller": "speaker_roles", "roller": "speaker_roles",
}
PATH_COLUMNS = ("path", "relative_path", "file", "filename", "fil", "sti")


def fold(value: str) -> str:
    """Lower-case, æøå spelled out, separators dropped: ``"Møde-Transskriptioner"`` → ``"moedetransskriptioner"``."""
    value = value.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[\s_\-./]+", "", value)


def normalize_doc_type(value: str | None) -> str | None:
    """Map a folder name or a free value to one of :data:`DOC_TYPES`; unknown values are kept as written."""
    if value is None or not str(value).strip():
        return None
    folded = fold(str(value))
    for stem, doc_type in _DOC_TYPE_STEMS:
        if stem in folded:
            return doc_type
    return str(value).strip()


def is_doc_type_folder(name: str) -> bool:
    return normalize_doc_type(name) in DOC_TYPES


def normalize_municipality(value: str | None) -> str | None:
    """``"aarhus"`` → ``"Aarhus"``, ``"Høje-Taastrup Kommune"`` → ``"Høje-Taastrup"``, ``"ringkøbing_skjern"`` →
    ``"Ringkøbing Skjern"``. Values with capitals are kept as written (minus a trailing "Kommune")."""
    if value is None or not str(value).strip():
        return None
    value = re.sub(r"[_]+", " ", str(value)).strip()
    value = re.sub(r"\s+kommune$", "", value, flags=re.IGNORECASE).strip()
    if value == value.lower():
        value = re.sub(r"(^|[\s\-])(\w)", lambda m: m.group(1) + m.group(2).upper(), value)
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%Y%m%d", "%Y-%m-%d %H:%M:%S")


def normalize_date(value: Any) -> str | None:
    """ISO ``YYYY-MM-DD`` where the value parses as a date (Danish day-first forms included), else as written."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text):
        return text[:10]
    return text


def clean_metadata(values: Mapping[str, Any]) -> dict[str, Any]:
    """Rename aliased keys (``kommune`` → ``municipality``), normalise known values, drop empty ones."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
            continue
        name = METADATA_ALIASES.get(fold(str(key)), str(key).strip())
        if name == "municipality":
            value = normalize_municipality(value)
        elif name == "doc_type":
            value = normalize_doc_type(value)
        elif name == "date":
            value = normalize_date(value)
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def metadata_from_layout(relative: PurePosixPath | str, root_name: str | None = None) -> dict[str, str]:
    """Municipality and document type from ``<municipality>/<doc-type>/file`` (relative to the input root).

    The nearest folder that names a document type sets ``doc_type``; the folder above it sets
    ``municipality`` when it lies inside the input root. ``root_name`` (the input folder's own name)
    may name the document type but is never taken as a municipality. Without a doc-type folder nothing
    is guessed.
    """
    inner = list(PurePosixPath(relative).parts[:-1])
    parts = ([root_name] if root_name else []) + inner
    first_inner = len(parts) - len(inner)
    for i in range(len(parts) - 1, -1, -1):
        if is_doc_type_folder(parts[i]):
            out = {"doc_type": normalize_doc_type(parts[i])}
            if i - 1 >= first_inner:
                out["municipality"] = normalize_municipality(parts[i - 1])
            return out
    return {}


class MetadataTable:
    """A metadata CSV keyed by the source's path relative to the input root.

    The key column is one of ``path, relative_path, file, filename, fil, sti``; the others become metadata
    (``kommune``/``municipality``, ``dokumenttype``/``doc_type``, ``dato``/``date``, ``sagsnr``/``case_id``,
    ``speaker_roles`` …). A key without a folder matches a file of that name anywhere, if only one does.
    """

    def __init__(self, rows: Mapping[str, dict[str, Any]], path: str | None = None):
        self.path = path
        self._by_path = {_norm_key(k): v for k, v in rows.items()}
        by_name: dict[str, list[str]] = {}
        for key in self._by_path:
            by_name.setdefault(PurePosixPath(key).name, []).append(key)
        self._by_name = {name: keys[0] for name, keys in by_name.items() if len(keys) == 1}

    @classmethod
    def load(cls, path: str | Path) -> "MetadataTable":
        path = Path(path)
        try:
            text, _ = decode_bytes(path.read_bytes())
        except OSError as exc:
            raise ReadError(path, f"metadata CSV cannot be read ({exc.strerror or exc})") from exc
        text = normalize_text(text)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        columns = reader.fieldnames or []
        key_column = next((c for c in columns if fold(c) in {fold(p) for p in PATH_COLUMNS}), None)
        if key_column is None:
            raise ReadError(
                path,
                f"metadata CSV needs a path column (one of {', '.join(PATH_COLUMNS)}); "
                f"it has: {', '.join(columns) or 'no header'}",
            )
        rows = {}
        for row in reader:
            key = (row.pop(key_column) or "").strip()
            if key:
                rows[key] = clean_metadata({k: v for k, v in row.items() if k is not None})
        return cls(rows, path=str(path))

    def lookup(self, relative: PurePosixPath | str) -> dict[str, Any]:
        key = _norm_key(str(relative))
        if key in self._by_path:
            return dict(self._by_path[key])
        name_key = self._by_name.get(PurePosixPath(key).name)
        return dict(self._by_path[name_key]) if name_key is not None else {}

    def __len__(self) -> int:
        return len(self._by_path)


def _norm_key(key: str) -> str:
    key = normalize_text(key.strip()).replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key
