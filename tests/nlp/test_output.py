"""Writers (csv, jsonl, parquet, xlsx) and resumable runs that produce the same file as an uninterrupted one."""

from __future__ import annotations

import json

import pytest

from sprogtro.corpus.document import Document
from sprogtro.nlp.coding import COLUMNS, code_documents_grouped
from sprogtro.nlp.output import ResumableOutput, format_for, rows_to_table, write_rows

DOCS = [Document(doc_id=f"d{i:02d}.txt", text=f"Borgeren nr. {i} har svært ved at møde. Praktikken udskydes.",
                 pseudonymized=True) for i in range(6)]


@pytest.fixture(scope="module")
def grouped(nlp_rules):
    return list(code_documents_grouped(nlp_rules, DOCS))


def _read(path, fmt):
    if fmt == "csv":
        import pandas as pd

        return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    from openpyxl import load_workbook

    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_output_writers_write_every_row_with_the_columns(grouped, tmp_path, fmt):
    rows = [r for _, rs in grouped for r in rs]
    path = tmp_path / f"coded.{fmt}"
    assert write_rows(rows, path, fmt) == len(rows)
    back = _read(path, fmt)
    assert len(back) == len(rows) and list(back[0]) == list(COLUMNS)
    assert [str(r["text"]) for r in back] == [r["text"] for r in rows]


def test_output_format_from_suffix():
    assert format_for("a.parquet") == "parquet" and format_for("a.ndjson") == "jsonl"
    assert format_for("a.txt", "xlsx") == "xlsx"
    with pytest.raises(Exception, match="unknown output format"):
        format_for("a.txt")


def test_output_rows_to_table_types(grouped):
    table = rows_to_table([r for _, rs in grouped for r in rs])
    assert table.schema.field("start_char").type == "int64" and table.column_names == list(COLUMNS)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_output_resume_after_kill_gives_the_same_file(grouped, tmp_path, fmt):
    whole = tmp_path / f"whole.{fmt}"
    out = ResumableOutput(whole, fmt, "fp", checkpoint_every=2)
    out.open()
    for _, rows in grouped:
        out.add_document(rows)
    out.finalise()

    killed = tmp_path / f"killed.{fmt}"
    first = ResumableOutput(killed, fmt, "fp", checkpoint_every=2)
    first.open()
    for _, rows in grouped[:3]:
        first.add_document(rows)  # document 3 is written, but the kill comes before its checkpoint
    first._fh.flush()
    first._fh.close()
    first._fh = None
    assert not killed.exists() and first.partial.exists() and first.progress.exists()

    second = ResumableOutput(killed, fmt, "fp", checkpoint_every=2)
    skip = second.open()
    assert skip == 2
    for _, rows in grouped[skip:]:
        second.add_document(rows)
    second.finalise()
    assert killed.read_bytes() == whole.read_bytes()
    assert not second.partial.exists() and not second.progress.exists()


def test_output_foreign_checkpoint_starts_over(grouped, tmp_path):
    path = tmp_path / "c.jsonl"
    first = ResumableOutput(path, "jsonl", "model-a", checkpoint_every=1)
    first.open()
    first.add_document(grouped[0][1])
    first.close()
    assert ResumableOutput(path, "jsonl", "model-b").open() == 0
