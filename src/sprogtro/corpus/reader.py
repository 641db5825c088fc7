"""From files and folders to :class:`~sprogtro.corpus.document.Document` objects.

:func:`iter_documents` is the one entry point the later stages use: it walks folders in sorted order,
streams documents one at a time, attaches metadata and reports unreadable files through ``on_error``
instead of stopping the run.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from sprogtro.corpus.document import Document
from sprogtro.corpus.formats import read_docx, read_odt, read_pdf, read_plain
from sprogtro.corpus.metadata import MetadataTable, clean_metadata, metadata_from_layout
from sprogtro.corpus.normalize import normalize_text
from sprogtro.corpus.tables import iter_table_rows
from sprogtro.corpus.transcripts import looks_like_transcript, parse_cues, parse_turns, render_cues
from sprogtro.errors import ReadError

TEXT_SUFFIXES = (".txt", ".text", ".md")
PROSE_SUFFIXES = TEXT_SUFFIXES + (".docx", ".pdf", ".odt")
SUBTITLE_SUFFIXES = (".vtt", ".srt")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = PROSE_SUFFIXES + SUBTITLE_SUFFIXES + TABLE_SUFFIXES

# Our own outputs and helper files: never read as sources.
SKIP_NAMES = frozenset({"pseudonymization_report.csv", "manifest.json", "manifest.csv", "desktop.ini", "thumbs.db"})
SKIP_PATTERNS = ("*.manifest.json", "*manifest.jsonl", "sprogtro-manifest*", "*.enc", "~$*", ".~lock.*")
METADATA_FILE = "metadata.csv"
IGNORE_FILE = ".sprogtroignore"

ErrorHandler = Callable[[ReadError], None]


def _raise(error: ReadError) -> None:
    raise error


def document_from_text(
    text: str,
    doc_id: str,
    metadata: Mapping[str, Any] | None = None,
    *,
    transcript: bool | None = None,
    source_path: str | None = None,
) -> Document:
    """A Document from a string: normalised, speaker turns parsed when it is (or looks like) a transcript.

    ``transcript=None`` decides by the text (most non-empty lines carry speaker labels) or by a
    ``doc_type`` of ``transskription``; ``True``/``False`` force it.
    """
    text = normalize_text(text)
    meta = dict(metadata or {})
    if transcript is None:
        transcript = looks_like_transcript(text) or (
            meta.get("doc_type") == "transskription" and looks_like_transcript(text, 0.2, require_repeat=False)
        )
    turns = parse_turns(text, meta.get("speaker_roles")) if transcript else []
    return Document(doc_id=doc_id, text=text, metadata=meta, turns=turns, source_path=source_path)


def read_file(
    path: str | Path,
    *,
    root: str | Path | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> list[Document]:
    """The documents of one file (one, or one per table row), as :func:`iter_documents` reads them.

    ``root`` is the folder ``doc_id`` is relative to (and the folder layout is read from); without it
    ``doc_id`` is the file name. ``metadata`` holds run-wide values (they win over table columns and the
    layout). Raises :class:`ReadError` for unsupported or unreadable files.
    """
    path = Path(path)
    if root is None:
        relative, layout = PurePosixPath(path.name), {}
    else:
        root = Path(root)
        relative = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
        layout = metadata_from_layout(relative, root.resolve().name)
    return list(
        iter_file(path, doc_id=str(relative), metadata=metadata, text_column=text_column, id_column=id_column,
                  layout_metadata=layout)
    )


def iter_file(
    path: str | Path,
    *,
    doc_id: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    layout_metadata: Mapping[str, Any] | None = None,
) -> Iterator[Document]:
    """Stream the documents of one file: one for prose and transcripts, one per row for tables.

    ``doc_id`` defaults to the file name; table rows take the id column's value, or ``<doc_id>#<row>``
    without an id column. ``metadata`` is the file's metadata (flags and metadata CSV, merged by the
    caller) and wins over a table's columns, which win over ``layout_metadata`` (from the folder layout).
    Raises :class:`ReadError` for unsupported or unreadable files.
    """
    path = Path(path)
    doc_id = doc_id or path.name
    suffix = path.suffix.lower()
    layout = clean_metadata(layout_metadata or {})
    base = {**clean_metadata(metadata or {}), "source_format": suffix.lstrip(".")}
    if not path.is_file():
        raise ReadError(path, "no such file")
    if suffix in TABLE_SUFFIXES:
        for row, id_value, text, extra in iter_table_rows(path, text_column=text_column, id_column=id_column):
            meta = {**layout, **clean_metadata(extra), **base, "row": row}
            yield document_from_text(text, id_value or f"{doc_id}#{row}", meta, source_path=doc_id)
        return
    if suffix in SUBTITLE_SUFFIXES:
        raw, _ = read_plain(path)
        cues = parse_cues(normalize_text(raw))
        if not cues:
            raise ReadError(path, f"no subtitle cues found (expected {suffix} cues with '-->' timings)")
        text, turns = render_cues(cues, base.get("speaker_roles"))
        meta = {"doc_type": "transskription", **layout, **base}
        yield Document(doc_id=doc_id, text=text, metadata=meta, turns=turns, source_path=doc_id)
        return
    if suffix in TEXT_SUFFIXES:
        raw, encoding = read_plain(path)
        base["encoding"] = encoding
    elif suffix == ".docx":
        raw = read_docx(path)
    elif suffix == ".pdf":
        raw = read_pdf(path)
    elif suffix == ".odt":
        raw = read_odt(path)
    else:
        raise ReadError(
            path, f"unsupported file type {suffix or '(no extension)'}; supported: {' '.join(SUPPORTED_SUFFIXES)}"
        )
    document = document_from_text(raw, doc_id, {**layout, **base}, source_path=doc_id)
    if document.turns:
        document.metadata.setdefault("doc_type", "transskription")
    yield document


def iter_documents(
    sources: str | Path | Iterable[str | Path],
    *,
    metadata: Mapping[str, Any] | None = None,
    metadata_csv: str | Path | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    on_error: ErrorHandler | None = None,
    exclude: Iterable[str] = (),
    municipality: str | None = None,
    doc_type: str | None = None,
) -> Iterator[Document]:
    """Stream the documents under ``sources`` (files or folders, recursive, sorted, hidden files skipped).

    ``metadata`` holds run-wide values (CLI flags such as ``municipality``, ``doc_type``, ``date``,
    ``case_id``, ``speaker_roles``) and wins over ``metadata_csv`` (keyed by path relative to the
    source folder; a ``metadata.csv`` at a folder's top is used when none is given), which wins over
    table columns and the folder layout ``<municipality>/<doc-type>/file``. ``exclude`` adds glob
    patterns (on the relative path) to the patterns in a ``.sprogtroignore`` file at the folder's top.

    Unreadable or unsupported files go to ``on_error(ReadError)`` and the walk continues; without
    ``on_error`` the first one is raised. ``municipality``/``doc_type`` are shorthands for those keys of
    ``metadata``.
    """
    handle = on_error or _raise
    shorthands = {"municipality": municipality, "doc_type": doc_type}
    flags = clean_metadata({**dict(metadata or {}), **{k: v for k, v in shorthands.items() if v}})
    explicit_table = MetadataTable.load(metadata_csv) if metadata_csv is not None else None
    if isinstance(sources, (str, Path)):
        sources = [sources]
    for source in sources:
        root = Path(source)
        if root.is_dir():
            table = explicit_table
            skip_files: set[Path] = set()
            if table is None and (root / METADATA_FILE).is_file():
                try:
                    table = MetadataTable.load(root / METADATA_FILE)
                    skip_files.add((root / METADATA_FILE).resolve())
                except ReadError:
                    table = None  # no path column: an ordinary table, read as a source
            if explicit_table is not None and explicit_table.path:
                skip_files.add(Path(explicit_table.path).resolve())
            patterns = list(exclude) + _ignore_patterns(root)
            for path in _walk(root, patterns, skip_files):
                relative = PurePosixPath(path.relative_to(root).as_posix())
                layout = metadata_from_layout(relative, root.resolve().name)
                meta = _merge(table, relative, flags)
                yield from _read_guarded(path, str(relative), meta, layout, text_column, id_column, handle)
        elif root.is_file():
            relative = PurePosixPath(root.name)
            meta = _merge(explicit_table, relative, flags)
            yield from _read_guarded(root, root.name, meta, {}, text_column, id_column, handle)
        else:
            handle(ReadError(root, "no such file or folder"))


def _merge(table: MetadataTable | None, relative: PurePosixPath, flags: dict) -> dict[str, Any]:
    return {**(table.lookup(relative) if table is not None else {}), **flags}


def _read_guarded(path, doc_id, meta, layout, text_column, id_column, handle) -> Iterator[Document]:
    try:
        yield from iter_file(
            path, doc_id=doc_id, metadata=meta, layout_metadata=layout, text_column=text_column, id_column=id_column
        )
    except ReadError as error:
        handle(error)
    except (OSError, MemoryError) as exc:
        handle(ReadError(path, f"cannot be read ({exc.__class__.__name__})"))


def _ignore_patterns(root: Path) -> list[str]:
    ignore = root / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def is_skipped_name(name: str) -> bool:
    """Hidden files, Office lock files and sprogtro's own outputs."""
    lowered = name.lower()
    return (
        name.startswith(".")
        or lowered in SKIP_NAMES
        or any(fnmatch.fnmatch(lowered, pattern) for pattern in SKIP_PATTERNS)
    )


def _excluded(relative: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.rstrip("/") if pattern.endswith("/") else pattern
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern + "/*"):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in relative.split("/")):
            return True
    return False


def _walk(root: Path, patterns: list[str], skip_files: set[Path]) -> Iterator[Path]:
    """Files under ``root`` in sorted order (folders depth-first), skipping hidden and ignored entries."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and not _excluded(_join(rel_dir, d), patterns)
        )
        for name in sorted(filenames):
            if is_skipped_name(name) or _excluded(_join(rel_dir, name), patterns):
                continue
            path = here / name
            if path.resolve() in skip_files:
                continue
            yield path


def _join(rel_dir: str, name: str) -> str:
    return name if rel_dir in ("", ".") else f"{rel_dir}/{name}"
