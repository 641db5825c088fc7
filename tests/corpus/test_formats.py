"""Each reader on a file written by the library that writes that format."""

from __future__ import annotations

import pytest

from sprogtro.corpus import read_file
from sprogtro.errors import ReadError

from .conftest import NOTE, make_docx, make_odt, make_pdf


def _one(path, **kw):
    docs = list(read_file(path, **kw))
    assert len(docs) == 1
    return docs[0]


def test_read_docx_paragraphs_tables_header(tmp_path):
    path = make_docx(
        tmp_path / "notat.docx",
        NOTE.split("\n"),
        table=[["Navn:", "Søren Ærø"], ["Sagsnr.:", "27.12.04-A00"]],
        header="Jobcenter Ærøskøbing – fortroligt",
    )
    doc = _one(path)
    assert doc.text.startswith("Jobcenter Ærøskøbing – fortroligt\n")
    assert "han er god til at arbejde med hænderne" in doc.text
    assert "Navn:\tSøren Ærø\nSagsnr.:\t27.12.04-A00" in doc.text
    assert doc.text.index("værksted") < doc.text.index("Navn:") < doc.text.index("Slut på notatet.")
    assert doc.metadata["source_format"] == "docx"


def test_read_docx_transcript_gets_turns(tmp_path):
    path = make_docx(tmp_path / "samtale.docx", ["Sagsbehandler: Hej Søren.", "Borger: Hej.", "Sagsbehandler: Hvordan går det?"])
    doc = _one(path)
    assert [t.role for t in doc.turns] == ["caseworker", "citizen", "caseworker"]
    assert doc.metadata["doc_type"] == "transskription"


def test_read_odt_heading_paragraphs_table(tmp_path):
    path = make_odt(
        tmp_path / "notat.odt", NOTE.split("\n")[1:], heading="Journalnotat", table=[["Navn:", "Søren Ærø"]]
    )
    doc = _one(path)
    assert doc.text.startswith("Journalnotat\nBorgeren Søren Ærø mødte op")
    assert "Navn:\tSøren Ærø" in doc.text
    assert doc.metadata["source_format"] == "odt"


def test_read_pdf_text_layer(tmp_path):
    path = make_pdf(tmp_path / "notat.pdf", ["Borgeren Søren Ærø mødte op.", "Han er god til at arbejde."])
    doc = _one(path)
    assert "Søren Ærø mødte op." in doc.text
    assert "Han er god til at arbejde." in doc.text


def test_read_pdf_scan_without_text_layer_asks_for_ocr(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", None)
    with pytest.raises(ReadError) as info:
        _one(path)
    assert "no text layer" in info.value.reason and "OCR" in info.value.reason


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".odt", ".xlsx"])
def test_read_corrupt_office_files_fail_with_reason(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"this is not a real file of that kind, CPR 010203-1234")
    with pytest.raises(ReadError) as info:
        list(read_file(path))
    assert "010203" not in str(info.value)  # a reason never quotes the content
    assert str(path) in str(info.value)


def test_read_unsupported_suffix(tmp_path):
    path = tmp_path / "lyd.mp3"
    path.write_bytes(b"\x00\x01")
    with pytest.raises(ReadError, match="unsupported file type .mp3"):
        list(read_file(path))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_read_txt_encodings_and_crlf(tmp_path, encoding):
    path = tmp_path / "notat.txt"
    path.write_bytes(NOTE.replace("\n", "\r\n").encode(encoding))
    doc = _one(path)
    assert doc.text == NOTE


def test_read_vtt_and_srt(tmp_path):
    vtt = tmp_path / "møde.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Karina>Hej Ali.\n\n00:00:02.000 --> 00:00:03.000\n<v Ali>Hej.\n", encoding="utf-8")
    srt = tmp_path / "møde.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nSB: Hej.\n\n2\n00:00:02,000 --> 00:00:03,000\nB: Hej.\n", encoding="utf-8-sig")
    v, s = _one(vtt, metadata={"speaker_roles": "Karina=caseworker"}), _one(srt)
    assert v.text == "Karina: Hej Ali.\nAli: Hej.\n"
    assert [t.role for t in v.turns] == ["caseworker", "other"]
    assert [t.role for t in s.turns] == ["caseworker", "citizen"]
    assert v.metadata["doc_type"] == s.metadata["doc_type"] == "transskription"


def test_read_csv_rows_columns_and_metadata(tmp_path):
    path = tmp_path / "notater.csv"
    path.write_bytes(
        "notat_id;tekst;kommune;dato;sagsbehandler\r\n"
        "A1;Borgeren er god til at lave mad.;aarhus;03.04.2024;Pia\r\n"
        "A2;;aarhus;04.04.2024;Pia\r\n"
        'A3;"Borgeren har svært ved\r\nat møde stabilt.";Ærø;2024-04-05;Mads\r\n'.encode("cp1252")
    )
    docs = list(read_file(path, text_column="tekst", id_column="notat_id"))
    assert [d.doc_id for d in docs] == ["A1", "A3"]  # empty text rows are skipped
    assert docs[1].text == "Borgeren har svært ved\nat møde stabilt."
    assert docs[0].metadata["municipality"] == "Aarhus"
    assert docs[0].metadata["date"] == "2024-04-03"
    assert docs[1].metadata["sagsbehandler"] == "Mads"
    assert docs[1].metadata["row"] == 3
    assert docs[0].source_path == "notater.csv"


def test_read_csv_default_columns_and_row_ids(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,kommune\nHej med dig,Odense\nFarvel,Odense\n", encoding="utf-8")
    assert [d.doc_id for d in read_file(path)] == ["t.csv#1", "t.csv#2"]


def test_read_table_missing_text_column_names_available_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,beskrivelse,kommune\n1,Hej,Odense\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        list(read_file(path))
    assert "beskrivelse" in info.value.reason and "--text-column" in info.value.reason
    with pytest.raises(ReadError, match="text column 'notat' not found; available columns: id, beskrivelse, kommune"):
        list(read_file(path, text_column="notat"))


def test_read_xlsx_rows(tmp_path):
    import datetime

    from openpyxl import Workbook

    path = tmp_path / "notater.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Tekst", "Dato", "Kommune", "Antal"])
    ws.append([101, "Borgeren møder stabilt.", datetime.datetime(2024, 5, 1), "Vejle", 3])
    ws.append([102, "Sagsbehandler: Hej.\nBorger: Hej.", datetime.datetime(2024, 5, 2), "Vejle", 4])
    wb.save(path)
    docs = list(read_file(path))
    assert [d.doc_id for d in docs] == ["101", "102"]
    assert docs[0].metadata["date"] == "2024-05-01" and docs[0].metadata["Antal"] == "3"
    assert [t.role for t in docs[1].turns] == ["caseworker", "citizen"]
