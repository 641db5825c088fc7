"""Table exports: one row per coded segment with all metadata (csv, parquet, jsonl); xlsx with four sheets."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sprogtro.export.tables import write_table
from tests.export.conftest import AARHUS, EMOJI_DOC


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_tables_one_row_per_segment_with_metadata(full_project, tmp_path, fmt):
    out = tmp_path / f"segmenter.{fmt}"
    n = write_table(full_project, fmt, out)["codings"]
    df = {"csv": pd.read_csv, "parquet": pd.read_parquet,
          "jsonl": lambda p: pd.read_json(p, lines=True)}[fmt](out)
    assert len(df) == n == len(full_project.codings_frame())
    for col in ("coder", "coder_kind", "code_key", "code_path", "doc_id", "start_char", "end_char", "text",
                "confidence", "municipality", "doc_type", "date", "case_id", "afdeling", "framing", "cues"):
        assert col in df.columns, col
    row = df[(df["doc_id"] == EMOJI_DOC) & (df["coder"] == "Lærke") & (df["start_char"] == 9)].iloc[0]
    assert row["text"] == "👍 er mødt op." and row["end_char"] == 22
    model = df[(df["coder"] == "sprogtro-rules") & (df["doc_id"] == AARHUS)].iloc[0]
    assert model["framing"] == "deficit" and model["municipality"] == "Aarhus"
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert all(isinstance(r["cues"], list) for r in records if r["coder"] == "sprogtro-rules")


def test_tables_csv_is_utf8_lf(full_project, tmp_path):
    out = tmp_path / "s.csv"
    write_table(full_project, "csv", out)
    data = out.read_bytes()
    assert b"\r\n" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert "møde" in data.decode("utf-8")


def test_tables_xlsx_sheets(full_project, tmp_path):
    out = tmp_path / "projekt.xlsx"
    counts = write_table(full_project, "xlsx", out)
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["documents", "sentences", "codings", "codebook"]
    assert len(sheets["documents"]) == 3 and counts["sentences"] == len(sheets["sentences"]) == 10
    assert "framing › deficit" in set(sheets["codebook"]["path"])
    assert len(sheets["codings"]) == len(full_project.codings_frame())


def test_tables_coder_filter_and_unknown_coder(full_project, tmp_path):
    from sprogtro.errors import StoreError

    assert write_table(full_project, "csv", tmp_path / "l.csv", coder="Lærke")["codings"] == 4
    with pytest.raises(StoreError, match="no coder named"):
        write_table(full_project, "csv", tmp_path / "x.csv", coder="Nobody")
