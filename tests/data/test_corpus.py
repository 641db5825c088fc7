"""The fictional sample corpus: layout, counts, formats, metadata, cases over time, planted identifiers."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.data.conftest import (
    CORPUS, DOC_TYPE_FOLDERS, METADATA_CSV, MUNICIPALITIES, PLANTED_CSV, source_paths,
)

ENTITY_TYPES = {"CPR", "PERSON", "ADDRESS", "PHONE", "EMAIL", "ORGANIZATION", "DATE_OF_BIRTH"}
ROLES = {"caseworker", "citizen", "employer", "other"}
CPR_LIKE = re.compile(r"(?<![\d+-])(\d{6})[- ]?(\d{4})(?![\d-])")
EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _script():
    path = Path(__file__).resolve().parents[2] / "scripts" / "make_sample_corpus.py"
    spec = importlib.util.spec_from_file_location("make_sample_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_has_every_municipality_and_doc_type():
    for municipality in MUNICIPALITIES:
        for folder in DOC_TYPE_FOLDERS:
            files = [p for p in source_paths() if p.startswith(f"{municipality}/{folder}/")]
            assert len(files) >= 3, (municipality, folder)


def test_corpus_has_at_least_80_documents():
    assert len(source_paths()) >= 80


def test_corpus_has_every_format():
    suffixes = Counter(Path(p).suffix for p in source_paths())
    for suffix in (".txt", ".vtt", ".srt", ".docx", ".odt", ".pdf", ".csv"):
        assert suffixes[suffix] >= 1, suffix


def test_corpus_has_a_cp1252_text_file():
    legacy = []
    for relative in source_paths():
        if relative.endswith(".txt"):
            raw = (CORPUS / relative).read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raw.decode("cp1252")
                legacy.append(relative)
    assert legacy
    assert any(ch in (CORPUS / legacy[0]).read_bytes().decode("cp1252") for ch in "æøå")


def test_corpus_table_export_has_text_and_id_columns():
    tables = [p for p in source_paths() if p.endswith(".csv")]
    assert tables
    with (CORPUS / tables[0]).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 5
    assert {"notat_id", "tekst"} <= set(rows[0])
    assert len({r["notat_id"] for r in rows}) == len(rows)


def test_corpus_generated_files_have_extractable_text(corpus_texts):
    for relative, text in corpus_texts.items():
        assert len(text) > 100, relative
        assert "æ" in text or "ø" in text or "å" in text, relative


def test_metadata_has_one_row_per_document(metadata_rows):
    with METADATA_CSV.open(encoding="utf-8") as handle:
        assert handle.readline().strip().split(",") == [
            "path", "municipality", "doc_type", "date", "case_id", "speaker_roles"]
    assert sorted(r["path"] for r in metadata_rows) == source_paths()


def test_metadata_values_agree_with_the_layout(metadata_rows):
    for row in metadata_rows:
        municipality, folder, name = row["path"].split("/")
        assert row["municipality"].lower() == municipality
        assert row["doc_type"] == DOC_TYPE_FOLDERS[folder]
        if name.endswith(".csv"):  # the table export carries date and case id per row
            continue
        assert re.fullmatch(r"202[1-5]-\d{2}-\d{2}", row["date"]), row["path"]
        assert re.fullmatch(r"[A-Z]{3}-\d{2}-\d{4}", row["case_id"]), row["path"]
        assert name.startswith(row["date"]) and row["case_id"] in name


def test_metadata_speaker_roles_cover_every_transcript(metadata_rows):
    for row in metadata_rows:
        if row["doc_type"] != "transskription":
            continue
        pairs = [part.split("=") for part in row["speaker_roles"].split(";")]
        assert len(pairs) >= 2, row["path"]
        assert all(len(p) == 2 and p[1] in ROLES for p in pairs), row["path"]
        assert {"caseworker", "citizen"} <= {p[1] for p in pairs}, row["path"]


def test_cases_span_several_documents_and_years(metadata_rows):
    by_case = defaultdict(list)
    for row in metadata_rows:
        if row["case_id"]:
            by_case[row["case_id"]].append(row)
    def years(rows):
        return {int(r["date"][:4]) for r in rows}

    over_time = [rows for rows in by_case.values() if len(rows) >= 3 and len(years(rows)) >= 2]
    assert {rows[0]["municipality"] for rows in over_time} == {m.capitalize() for m in MUNICIPALITIES}
    assert sum(len(years(rows)) >= 3 for rows in by_case.values()) >= 4
    # at least one case waits for years (first to last document four years or more apart)
    assert any(max(years(rows)) - min(years(rows)) >= 4 for rows in by_case.values())
    years = {r["date"][:4] for r in metadata_rows if r["date"]}
    assert years == {"2021", "2022", "2023", "2024", "2025"}


def test_sprogtroignore_keeps_gold_out_of_the_corpus():
    patterns = (CORPUS / ".sprogtroignore").read_text(encoding="utf-8").split()
    assert "gold" in patterns


def test_planted_identifiers_schema(planted_rows):
    with PLANTED_CSV.open(encoding="utf-8") as handle:
        assert handle.readline().strip().split(",") == ["doc_id", "entity_type", "value"]
    assert {r["entity_type"] for r in planted_rows} == ENTITY_TYPES
    assert len({(r["doc_id"], r["entity_type"], r["value"]) for r in planted_rows}) == len(planted_rows)
    documents = set(source_paths())
    assert all(r["doc_id"] in documents for r in planted_rows)


def test_every_planted_identifier_occurs_in_its_document(planted_rows, corpus_texts):
    for row in planted_rows:
        value = re.sub(r"\s+", " ", row["value"])
        assert value in corpus_texts[row["doc_id"]], row


def test_planted_identifiers_cover_most_documents(planted_rows):
    with_ids = {r["doc_id"] for r in planted_rows}
    assert len(with_ids) >= 0.9 * len(source_paths())
    per_type = Counter(r["entity_type"] for r in planted_rows)
    assert per_type["CPR"] >= 20 and per_type["PERSON"] >= 100 and per_type["PHONE"] >= 15


@pytest.mark.parametrize("kind, pattern", [("CPR", CPR_LIKE), ("EMAIL", EMAIL_LIKE)])
def test_every_cpr_and_email_in_the_corpus_is_recorded(planted_rows, corpus_texts, kind, pattern):
    recorded = {(r["doc_id"], r["value"]) for r in planted_rows if r["entity_type"] == kind}
    for relative, text in corpus_texts.items():
        for match in pattern.finditer(text):
            assert (relative, match.group(0)) in recorded, (relative, match.group(0))


def test_planted_identifiers_are_up_to_date_with_the_registry(planted_rows):
    """planted_identifiers.csv is what scripts/make_sample_corpus.py derives from the current texts."""
    script = _script()
    expected = {
        (str(relative), entity_type, value)
        for relative in script.source_files()
        for entity_type, value in script.find_identifiers(script.document_text(relative))
    }
    assert {(r["doc_id"], r["entity_type"], r["value"]) for r in planted_rows} == expected


def test_cpr_numbers_have_a_valid_shape(planted_rows):
    for row in planted_rows:
        if row["entity_type"] == "CPR":
            digits = re.sub(r"\D", "", row["value"])
            day, month = int(digits[:2]), int(digits[2:4])
            assert len(digits) == 10 and 1 <= day <= 31 and 1 <= month <= 12, row
