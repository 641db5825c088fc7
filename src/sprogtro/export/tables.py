"""Tables for pandas, R and Stata: csv, parquet and jsonl hold one row per coded segment with all
metadata; xlsx has the sheets ``documents``, ``sentences``, ``codings`` and ``codebook``. Every file is
written to a temporary name beside the target and renamed into place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from sprogtro.errors import ExportError
from sprogtro.export.refi import atomic_export
from sprogtro.store import Project

TABLE_FORMATS = ("csv", "xlsx", "parquet", "jsonl")
EXCEL_CELL_LIMIT = 32_767
SEGMENT_LABEL_COLUMNS = ("framing", "expectation", "action", "cues")


def segments_frame(project: Project, coder: str | None = None) -> pd.DataFrame:
    """One row per coded segment: coder, code (key, name, path), document, offsets, text, confidence,
    document metadata and, for segments on a labelled sentence, that coder's sentence labels and cues."""
    codings = project.codings_frame(coder)
    labels = project.sentence_labels_frame()[["sentence_id", "coder", *SEGMENT_LABEL_COLUMNS]]
    if len(codings):
        codings["sentence_id"] = codings["sentence_id"].astype("Int64")  # all-None for human-only codings
        labels["sentence_id"] = labels["sentence_id"].astype("Int64")
        codings = codings.merge(labels, on=["sentence_id", "coder"], how="left")
    else:
        for col in SEGMENT_LABEL_COLUMNS:
            codings[col] = pd.Series(dtype=object)
    return codings


def write_table(project: Project, fmt: str, out: str | os.PathLike, *, coder: str | None = None) -> dict[str, int]:
    """Write ``fmt`` (csv, xlsx, parquet, jsonl) to ``out``; returns row counts per table."""
    if fmt not in TABLE_FORMATS:
        raise ExportError(f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    if coder is not None:
        project.coder_id(coder)
    if fmt == "xlsx":
        sheets = {
            "documents": _excel_safe(project.documents_frame(with_text=True)),
            "sentences": _excel_safe(project.sentences_frame(coder, all_sentences=True)),
            "codings": _excel_safe(segments_frame(project, coder)),
            "codebook": project.codes_frame(),
        }

        def write(tmp: Path) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, df in sheets.items():
                    df.to_excel(writer, sheet_name=name, index=False)

        atomic_export(out, write)
        return {name: len(df) for name, df in sheets.items()}
    df = segments_frame(project, coder)
    if fmt == "csv":
        atomic_export(out, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"))
    elif fmt == "jsonl":
        atomic_export(out, lambda tmp: _write_jsonl(df, tmp))
    else:
        table = _arrow_safe(df)
        atomic_export(out, lambda tmp: table.to_parquet(tmp, index=False))
    return {"codings": len(df)}


def _write_jsonl(df: pd.DataFrame, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for record in df.to_dict("records"):
            clean = {k: (None if _is_missing(v) else v) for k, v in record.items()}
            if isinstance(clean.get("cues"), str):
                clean["cues"] = json.loads(clean["cues"])
            fh.write(json.dumps(clean, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _arrow_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns that mix types (free metadata) become strings, so Parquet gets one type per column."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object:
            kinds = {type(v) for v in df[col] if not _is_missing(v)}
            if len(kinds) > 1 or (kinds and kinds != {str}):
                df[col] = [None if _is_missing(v) else str(v) for v in df[col]]
    return df


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Excel cells hold at most 32,767 characters: longer texts are cut and marked in ``<col>_truncated``."""
    df = df.copy()
    for col in ("text",):
        if col in df.columns:
            long = df[col].fillna("").astype(str).str.len() > EXCEL_CELL_LIMIT
            if long.any():
                df[col] = [t[:EXCEL_CELL_LIMIT] if isinstance(t, str) else t for t in df[col]]
                df[f"{col}_truncated"] = long
    return df
