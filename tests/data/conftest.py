"""Fixtures for the data tests: the gold sentences, the sample corpus and its texts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora_sample"
GOLD_CSV = CORPUS / "gold" / "gold_sentences.csv"
PLANTED_CSV = CORPUS / "gold" / "planted_identifiers.csv"
METADATA_CSV = CORPUS / "metadata.csv"

MUNICIPALITIES = ("aarhus", "odense", "aalborg", "esbjerg")
DOC_TYPE_FOLDERS = {
    "journalnotater": "journalnotat",
    "visitationer": "visitation",
    "moedetransskriptioner": "transskription",
    "virksomhedskorrespondance": "virksomhedskorrespondance",
}
SOURCE_SUFFIXES = (".txt", ".vtt", ".srt", ".docx", ".odt", ".pdf", ".csv")
LABELS = {
    "framing": ("deficit", "resource", "mixed", "neutral"),
    "expectation": ("high", "low", "uncertain", "none"),
    "action": ("action", "waiting", "none"),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def source_paths() -> list[str]:
    """Every source document of the sample corpus, relative posix paths, sorted."""
    return sorted(
        p.relative_to(CORPUS).as_posix()
        for m in MUNICIPALITIES
        for p in (CORPUS / m).rglob("*")
        if p.is_file() and p.suffix in SOURCE_SUFFIXES
    )


def extract_text(relative: str) -> str:
    """The text of a source file, read with the format's own library (not sprogtro's readers),
    whitespace collapsed so that a line break inside a value does not hide it."""
    path = CORPUS / relative
    suffix = path.suffix
    if suffix == ".docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    elif suffix == ".odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        document = load(str(path))
        text = "\n".join(teletype.extractText(e) for kind in (H, P) for e in document.getElementsByType(kind))
    elif suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="session")
def gold_rows() -> list[dict[str, str]]:
    return read_csv(GOLD_CSV)


@pytest.fixture(scope="session")
def metadata_rows() -> list[dict[str, str]]:
    return read_csv(METADATA_CSV)


@pytest.fixture(scope="session")
def planted_rows() -> list[dict[str, str]]:
    return read_csv(PLANTED_CSV)


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, str]:
    return {relative: extract_text(relative) for relative in source_paths()}
