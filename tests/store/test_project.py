"""The project store: creation, schema and migrations, documents, model coding, reviews, memos, frames."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from sprogtro.errors import StoreError
from sprogtro.store import SCHEMA_VERSION, Project
from tests.store.conftest import all_coded_rows, make_document


def test_project_init_creates_toml_db_and_codebook(tmp_path):
    with Project.init(tmp_path / "p", name="Mit projekt") as p:
        assert (tmp_path / "p" / "project.toml").is_file()
        assert (tmp_path / "p" / "project.db").is_file()
        assert p.name == "Mit projekt"
        assert p.schema_version == SCHEMA_VERSION
        assert p.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert p.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        codes = p.codes_frame()
    assert codes["name"].is_unique and codes["guid"].is_unique
    deficit = codes.set_index("key").loc["framing.deficit"]
    assert deficit["path"] == "framing › deficit"
    assert deficit["colour"].startswith("#") and deficit["description"]
    assert not codes.set_index("key").loc["framing", "is_codable"]


def test_project_init_refuses_existing_project_and_open_refuses_missing(tmp_path):
    Project.init(tmp_path / "p").close()
    with pytest.raises(StoreError, match="already holds"):
        Project.init(tmp_path / "p")
    with pytest.raises(StoreError, match="not a sprogtro project"):
        Project.open(tmp_path / "nothing")


def test_project_open_refuses_newer_schema(tmp_path):
    Project.init(tmp_path / "p").close()
    con = sqlite3.connect(tmp_path / "p" / "project.db")
    con.execute("INSERT INTO schema_version VALUES (?, 'future', 'now')", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Project.open(tmp_path / "p")


def test_project_open_applies_missing_migrations(tmp_path, monkeypatch):
    from sprogtro.store import project as project_module

    Project.init(tmp_path / "p").close()
    extra = (SCHEMA_VERSION + 1, "test: add a column", ["ALTER TABLE memos ADD COLUMN colour TEXT"])
    monkeypatch.setattr(project_module, "MIGRATIONS", [*project_module.MIGRATIONS, extra])
    monkeypatch.setattr(project_module, "LATEST_VERSION", SCHEMA_VERSION + 1)
    with Project.open(tmp_path / "p") as p:
        assert p.schema_version == SCHEMA_VERSION + 1
        assert "colour" in p.memos_frame().columns or p.conn.execute("SELECT colour FROM memos").fetchall() == []


def test_project_refuses_raw_documents(project):
    doc = make_document("Aarhus/journalnotat/sag-001.txt")
    doc.pseudonymized = False
    with pytest.raises(StoreError, match="not pseudonymized"):
        project.add_document(doc)


def test_project_add_document_is_idempotent_and_tracks_changes(project):
    doc = make_document("Aarhus/journalnotat/sag-001.txt")
    assert project.add_document(doc) == "added"
    assert project.add_document(doc) == "unchanged"
    assert project.add_document(make_document(doc.doc_id, afdeling="Ydelse")) == "metadata"
    changed = make_document(doc.doc_id, text=doc.text + " Ny sætning.")
    assert project.add_document(changed) == "updated"
    stored = project.get_document(doc.doc_id)
    assert stored.text == changed.text and stored.pseudonymized
    assert stored.municipality == "Aarhus" and stored.metadata["case_id"] == "AAR-1"


def test_project_stores_turns_with_speaker_from_stored_text(project):
    doc = make_document("Odense/transskription/møde-002.txt")
    project.add_document(doc)
    stored = project.get_document(doc.doc_id)
    assert [t.role for t in stored.turns] == ["caseworker", "citizen", "caseworker"]
    assert [t.speaker for t in stored.turns] == ["Sagsbehandler", "Borger", "Sagsbehandler"]
    assert stored.text[stored.turns[1].start:stored.turns[1].end].startswith("Det går godt")


def test_project_drops_speaker_roles_metadata(project):
    doc = make_document("Aarhus/journalnotat/sag-001.txt", speaker_roles="Karina=caseworker")
    project.add_document(doc)
    assert "speaker_roles" not in project.get_document(doc.doc_id).metadata


def test_project_sentences_frame_has_analysis_columns(coded_project):
    from sprogtro.analysis.frame import prepare_sentences

    df = coded_project.sentences_frame()
    assert len(df) == 7
    for col in ("sentence_id", "doc_id", "sent_index", "start_char", "end_char", "speaker", "role", "text",
                "framing", "expectation", "action", "framing_p", "cues", "coder", "municipality",
                "doc_type", "date", "case_id", "afdeling"):
        assert col in df.columns, col
    assert df["coder"].unique().tolist() == ["sprogtro-rules"]
    first = df.iloc[0]
    doc = coded_project.get_document(first["doc_id"])
    assert doc.text[first["start_char"]:first["end_char"]] == first["text"]
    assert json.loads(first["cues"])[0]["code"] == "framing.deficit"
    prepared = prepare_sentences(df)
    assert set(prepared["framing"]) <= {"deficit", "resource", "mixed", "neutral"}


def test_project_save_sentence_coding_writes_codings_for_non_empty_labels(coded_project):
    codings = coded_project.codings_frame()
    assert sorted(codings["code_key"]) == sorted([
        "framing.deficit", "framing.resource", "action.waiting", "expectation.high", "framing.resource",
        "action.action"])
    assert (codings["coder_kind"] == "model").all()
    assert codings["sentence_id"].notna().all()
    row = codings.iloc[0]
    assert row["text"] == coded_project.get_document(row["doc_id"]).text[row["start_char"]:row["end_char"]]
    assert row["code_path"].startswith(("framing › ", "expectation › ", "action › "))


def test_project_recoding_replaces_labels_not_duplicates(coded_project, documents):
    rows = all_coded_rows(documents)
    for row in rows:
        row["framing"] = "neutral"
    coded_project.save_sentence_coding(rows, coder="sprogtro-rules", version="0.2.0")
    df = coded_project.sentences_frame()
    assert len(df) == 7 and set(df["framing"]) == {"neutral"}
    assert not coded_project.codings_frame()["code_key"].str.startswith("framing.").any()
    assert coded_project.coders_frame().set_index("name").loc["sprogtro-rules", "version"] == "0.2.0"


def test_project_rejects_unknown_label(project, documents):
    project.add_document(documents[0])
    rows = all_coded_rows(documents[:1])
    rows[0]["framing"] = "splendid"
    with pytest.raises(StoreError, match="not in the codebook"):
        project.save_sentence_coding(rows, coder="m")


def test_project_reviews_and_apply_reviews(coded_project):
    sid = coded_project.sentence_id("Aarhus/journalnotat/sag-001.txt", 0)
    coded_project.add_review(sid, "Lærke", "framing", "disagree", corrected_value="mixed",
                             comment="Begge dele", coder="sprogtro-rules")
    reviews = coded_project.reviews_frame()
    assert reviews.loc[0, ["reviewer", "dimension", "verdict", "corrected_value", "label"]].tolist() == [
        "Lærke", "framing", "disagree", "mixed", "deficit"]
    applied = coded_project.sentences_frame(apply_reviews=True).set_index("sentence_id")
    assert applied.loc[sid, "framing"] == "mixed" and applied.loc[sid, "reviewed"]
    assert coded_project.sentences_frame().set_index("sentence_id").loc[sid, "framing"] == "deficit"


def test_project_human_codings_and_memos(coded_project):
    doc_id = "Aarhus/journalnotat/sag-001.txt"
    rows = [{"doc_id": doc_id, "code": "framing › deficit", "start_char": 0, "end_char": 39},
            {"doc_id": doc_id, "code": "resource", "start": 40, "end": 70}]
    assert coded_project.add_codings(rows, coder="Lærke") == 2
    assert coded_project.add_codings(rows, coder="Lærke") == 0  # idempotent
    human = coded_project.codings_frame("Lærke")
    assert human["code_key"].tolist() == ["framing.deficit", "framing.resource"]
    assert (human["coder_kind"] == "human").all()
    with pytest.raises(StoreError, match="outside"):
        coded_project.add_codings([{**rows[0], "end_char": 10_000}], coder="Lærke")
    coded_project.add_memo("Husk at se på mødestabilitet.", title="Memo", doc_id=doc_id, author="Lærke")
    coded_project.add_memo("Kode-memo", code="framing.deficit")
    memos = coded_project.memos_frame()
    assert memos["doc_id"].tolist()[0] == doc_id and memos["code_key"].tolist()[1] == "framing.deficit"


def test_project_status_counts(coded_project):
    status = coded_project.status()
    assert status["documents"] == 2 and status["sentences"] == 7
    assert status["by_municipality"] == {"Aarhus": 1, "Odense": 1}
    assert status["by_doc_type"] == {"journalnotat": 1, "transskription": 1}
    assert status["by_code"]["resource"] == 2
    assert status["coders"][0]["name"] == "sprogtro-rules"


def test_project_iter_documents_filters(coded_project):
    assert [d.doc_id for d in coded_project.iter_documents(municipality="Odense")] == [
        "Odense/transskription/møde-002.txt"]
    assert list(coded_project.iter_documents(uncoded_by="sprogtro-rules")) == []
    assert len(list(coded_project.iter_documents(uncoded_by="other-model"))) == 2


def test_project_concurrent_writers(tmp_path):
    """Threads with their own Project objects (own connections) write at once without 'database is locked'."""
    Project.init(tmp_path / "p").close()
    errors = []

    def writer(n):
        try:
            with Project.open(tmp_path / "p") as p:
                for i in range(15):
                    p.add_document(make_document(f"w{n}/doc{i}.txt", text=f"Tekst {n} {i}."))
                    p.add_memo(f"memo {n} {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Project.open(tmp_path / "p") as p:
        assert p.status()["documents"] == 90 and p.status()["memos"] == 90


def test_project_codebook_file_replaces_default(tmp_path, monkeypatch):
    from sprogtro.store import codebook

    book = tmp_path / "codebook.yml"
    book.write_text(
        "dimensions:\n"
        "  - key: framing\n    colour: '#112233'\n    description: Hvordan borgeren beskrives\n"
        "    labels:\n      - {key: deficit, colour: '#aa0000', description: Mangler}\n"
        "      - {key: resource}\n      - {key: mixed}\n      - {key: neutral}\n",
        encoding="utf-8")
    monkeypatch.setattr(codebook, "codebook_path", lambda: None)  # the built-in default first
    with Project.init(tmp_path / "p") as p:
        assert p.get_meta("codebook").startswith("builtin#")
        monkeypatch.setattr(codebook, "codebook_path", lambda: book)
        p.reload_codebook()
        codes = p.codes_frame().set_index("key")
        assert codes.loc["framing", "colour"] == "#112233"
        assert codes.loc["framing.deficit", "description"] == "Mangler"
        assert "action.waiting" in codes.index  # never deleted


def test_project_contract_signatures(project, documents):
    """The names in the team contract: add_document → bool, save_sentence_coding(doc_id, rows),
    coded_doc_ids, add_review(…, corrected), reviewed_labels, codebook."""
    assert project.add_document(documents[0]) and not project.add_document(documents[0])
    assert project.add_document(documents[0]) == "unchanged"
    doc = documents[0]
    rows = [{k: v for k, v in r.items() if k != "doc_id"} for r in all_coded_rows([doc])]
    rows[0]["model_version"] = "rules-2"
    rows[0]["referent"] = "borgeren"
    assert project.save_sentence_coding(doc.doc_id, rows, coder="m") == 4
    assert project.coded_doc_ids("m") == {doc.doc_id}
    assert project.coded_doc_ids("m", version="rules-2") == {doc.doc_id}
    assert project.coded_doc_ids("m", version="other") == set()
    df = project.sentences_frame(coder="m")
    assert df["model_version"].unique().tolist() == ["rules-2"] and df.loc[0, "referent"] == "borgeren"
    project.add_document(documents[1])
    assert project.save_sentence_coding(documents[1].doc_id, [], coder="m") == 0  # no sentences: still coded
    assert project.coded_doc_ids("m") == {doc.doc_id, documents[1].doc_id}
    project.add_document(make_document(doc.doc_id, text=doc.text + " Mere."))  # changed text: not coded now
    assert project.coded_doc_ids("m") == {documents[1].doc_id}
    codebook = project.codebook()
    assert {"key", "name", "path", "label_da", "colour", "description"} <= set(codebook.columns)


def test_project_reviewed_labels(coded_project):
    first = coded_project.sentence_id("Aarhus/journalnotat/sag-001.txt", 0)
    second = coded_project.sentence_id("Aarhus/journalnotat/sag-001.txt", 1)
    coded_project.add_review(first, "Lærke", "framing", "disagree", "mixed", coder="sprogtro-rules")
    coded_project.add_review(second, "Lærke", "framing", "agree", coder="sprogtro-rules")
    coded_project.add_review(second, "Lærke", "action", "skip", coder="sprogtro-rules")
    labels = coded_project.reviewed_labels().set_index("sentence_id")
    assert labels.loc[first, "framing"] == "mixed" and labels.loc[second, "framing"] == "resource"
    assert labels.loc[second, "action"] is None and set(labels["source"]) == {"review"}
    assert list(labels.columns) == ["doc_id", "text", "framing", "expectation", "action", "source"]
