"""iter_documents: the folder walk, metadata sources and their precedence, errors, streaming."""

from __future__ import annotations

import types

import pytest

from sprogtro.corpus import iter_documents, normalize_doc_type, normalize_municipality
from sprogtro.corpus.metadata import metadata_from_layout
from sprogtro.errors import ReadError

from .conftest import NOTE, make_docx, make_pdf


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "korpus"
    (root / "aarhus" / "journalnotater").mkdir(parents=True)
    (root / "aarhus" / "mødetransskriptioner").mkdir(parents=True)
    (root / "Høje-Taastrup" / "visitationer").mkdir(parents=True)
    (root / "aarhus" / "journalnotater" / "b.txt").write_text(NOTE, encoding="utf-8")
    (root / "aarhus" / "journalnotater" / "a.txt").write_bytes(NOTE.encode("cp1252"))
    (root / "aarhus" / "mødetransskriptioner" / "m1.txt").write_text(
        "Sagsbehandler: Hej.\nBorger: Hej.\n", encoding="utf-16"
    )
    make_docx(root / "Høje-Taastrup" / "visitationer" / "v1.docx", ["Henvisning til praktik."])
    make_pdf(root / "Høje-Taastrup" / "visitationer" / "scan.pdf", None)
    (root / "aarhus" / ".hidden.txt").write_text("skjult", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("x", encoding="utf-8")
    (root / "pseudonymization_report.csv").write_text("doc_id,type,count\n", encoding="utf-8")
    (root / "~$notat.docx").write_bytes(b"lock")
    return root


def test_iter_documents_walk_layout_and_errors(corpus):
    errors: list[ReadError] = []
    docs = list(iter_documents(corpus, on_error=errors.append))
    assert [d.doc_id for d in docs] == [
        "Høje-Taastrup/visitationer/v1.docx",
        "aarhus/journalnotater/a.txt",
        "aarhus/journalnotater/b.txt",
        "aarhus/mødetransskriptioner/m1.txt",
    ]
    assert [(d.municipality, d.doc_type) for d in docs] == [
        ("Høje-Taastrup", "visitation"),
        ("Aarhus", "journalnotat"),
        ("Aarhus", "journalnotat"),
        ("Aarhus", "transskription"),
    ]
    assert docs[1].text == docs[2].text == NOTE
    assert [t.role for t in docs[3].turns] == ["caseworker", "citizen"]
    assert len(errors) == 1 and errors[0].path.endswith("scan.pdf") and "OCR" in errors[0].reason


def test_iter_documents_without_on_error_raises(corpus):
    with pytest.raises(ReadError, match="no text layer"):
        list(iter_documents(corpus))


def test_iter_documents_is_a_lazy_generator(corpus):
    stream = iter_documents(corpus, on_error=lambda e: None)
    assert isinstance(stream, types.GeneratorType)
    assert next(stream).doc_id == "Høje-Taastrup/visitationer/v1.docx"


def test_metadata_precedence_flags_over_csv_over_layout(corpus):
    (corpus / "metadata.csv").write_text(
        "path;kommune;dato;sagsnr;speaker_roles\n"
        "aarhus/journalnotater/a.txt;Odense;01.02.2024;S-1;\n"
        "m1.txt;;;S-2;Sagsbehandler=citizen\n",
        encoding="utf-8",
    )
    docs = {d.doc_id: d for d in iter_documents(corpus, on_error=lambda e: None)}
    assert "metadata.csv" not in docs  # a folder's own metadata.csv is metadata, not a source
    a = docs["aarhus/journalnotater/a.txt"]
    assert (a.municipality, a.metadata["date"], a.metadata["case_id"]) == ("Odense", "2024-02-01", "S-1")
    m1 = docs["aarhus/mødetransskriptioner/m1.txt"]
    assert m1.metadata["case_id"] == "S-2" and m1.turns[0].role == "citizen"  # matched by file name
    assert docs["aarhus/journalnotater/b.txt"].municipality == "Aarhus"
    flagged = {d.doc_id: d for d in iter_documents(corpus, metadata={"kommune": "vejle", "doc_type": "referater"}, on_error=lambda e: None)}
    assert {(d.municipality, d.doc_type) for d in flagged.values()} == {("Vejle", "mødereferat")}


def test_explicit_metadata_csv_outside_the_folder(corpus, tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("file,municipality\naarhus/journalnotater/b.txt,Kolding\n", encoding="utf-8")
    docs = {d.doc_id: d for d in iter_documents(corpus, metadata_csv=meta, on_error=lambda e: None)}
    assert docs["aarhus/journalnotater/b.txt"].municipality == "Kolding"


def test_metadata_csv_without_path_column_is_an_error(tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("kommune,dato\nAarhus,2024-01-01\n", encoding="utf-8")
    with pytest.raises(ReadError, match="path column"):
        list(iter_documents(tmp_path, metadata_csv=meta))


def test_sprogtroignore_and_exclude(corpus):
    (corpus / ".sprogtroignore").write_text("# not sources\nHøje-Taastrup/\n*.docx\n", encoding="utf-8")
    docs = [d.doc_id for d in iter_documents(corpus, exclude=["b.txt"])]
    assert docs == ["aarhus/journalnotater/a.txt", "aarhus/mødetransskriptioner/m1.txt"]


def test_iter_documents_single_file_and_missing_path(corpus, tmp_path):
    file = corpus / "aarhus" / "journalnotater" / "a.txt"
    docs = list(iter_documents([file], metadata={"municipality": "Aarhus"}))
    assert [d.doc_id for d in docs] == ["a.txt"] and docs[0].municipality == "Aarhus"
    errors = []
    assert list(iter_documents(tmp_path / "findes-ikke", on_error=errors.append)) == []
    assert "no such file" in errors[0].reason


def test_table_rows_in_a_folder_take_layout_and_columns(tmp_path):
    (tmp_path / "odense" / "journalnotater").mkdir(parents=True)
    (tmp_path / "odense" / "journalnotater" / "rows.csv").write_text(
        "id,text,kommune\n1,Hej,Svendborg\n2,Dav,\n", encoding="utf-8"
    )
    docs = list(iter_documents(tmp_path))
    assert [(d.doc_id, d.municipality, d.doc_type) for d in docs] == [
        ("1", "Svendborg", "journalnotat"), ("2", "Odense", "journalnotat")
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("journalnotater", "journalnotat"), ("Journalnotat", "journalnotat"), ("visitationer", "visitation"),
        ("henvisninger", "visitation"), ("mødetransskriptioner", "transskription"),
        ("moedetransskriptioner", "transskription"), ("mødereferater", "mødereferat"),
        ("virksomhedskorrespondance", "virksomhedskorrespondance"), ("andet", "andet"),
    ],
)
def test_normalize_doc_type(value, expected):
    assert normalize_doc_type(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("aarhus", "Aarhus"), ("Aarhus Kommune", "Aarhus"), ("ringkøbing-skjern", "Ringkøbing-Skjern"),
     ("høje_taastrup", "Høje Taastrup"), ("København", "København")],
)
def test_normalize_municipality(value, expected):
    assert normalize_municipality(value) == expected


def test_layout_never_takes_the_root_as_municipality():
    assert metadata_from_layout("journalnotater/a.txt", root_name="tmp123") == {"doc_type": "journalnotat"}
    assert metadata_from_layout("a.txt", root_name="visitationer") == {"doc_type": "visitation"}
    assert metadata_from_layout("noter/a.txt", root_name="x") == {}


def test_contract_names_read_file_with_root_and_shorthand_flags(corpus):
    from sprogtro.corpus import readers

    path = corpus / "aarhus" / "journalnotater" / "a.txt"
    docs = readers.read_file(path, root=corpus)
    assert isinstance(docs, list) and docs[0].doc_id == "aarhus/journalnotater/a.txt"
    assert (docs[0].municipality, docs[0].doc_type) == ("Aarhus", "journalnotat")
    assert readers.read_file(path)[0].doc_id == "a.txt"
    flagged = list(readers.iter_documents([path], municipality="Vejle", doc_type="mødereferater"))
    assert (flagged[0].municipality, flagged[0].doc_type) == ("Vejle", "mødereferat")
