"""code_documents: one row per sentence, never across a speaker turn, offsets into the document."""

from __future__ import annotations

import json

import pytest

from sprogtro.corpus.document import Document, Turn
from sprogtro.nlp.coding import COLUMNS, code_documents

NOTE = "Borgeren har svært ved at møde stabilt. Hun er god til at samarbejde.\nVi afventer lægeerklæringen."
TRANSCRIPT = ("Sagsbehandler: Hvordan går det i praktikken\n"
              "Borger: Det går godt. Jeg møder hver dag\n"
              "Sagsbehandler: Vi starter et afklaringsforløb næste uge.")


def transcript() -> Document:
    turns, pos = [], 0
    for line in TRANSCRIPT.split("\n"):
        label, _, _ = line.partition(": ")
        start = pos + len(label) + 2
        role = "caseworker" if label == "Sagsbehandler" else "citizen"
        turns.append(Turn(start=start, end=pos + len(line), speaker=label, role=role, label_start=pos,
                          label_end=pos + len(label) + 1))
        pos += len(line) + 1
    return Document(doc_id="møde.txt", text=TRANSCRIPT, turns=turns, pseudonymized=True,
                    metadata={"municipality": "Odense", "doc_type": "transskription"})


@pytest.fixture(scope="module")
def rows(nlp_rules):
    docs = [Document(doc_id="notat.txt", text=NOTE, pseudonymized=True), transcript(),
            Document(doc_id="tom.txt", text="   ", pseudonymized=True)]
    return list(code_documents(nlp_rules, docs, batch_size=2))


def test_coding_rows_have_the_contract_columns_in_order(rows):
    assert list(rows[0]) == list(COLUMNS)
    assert list(COLUMNS[:10]) == ["doc_id", "sent_index", "start_char", "end_char", "speaker", "text",
                                  "framing", "expectation", "action", "cues"]


def test_coding_offsets_point_into_the_document(rows):
    texts = {"notat.txt": NOTE, "møde.txt": TRANSCRIPT}
    for row in rows:
        assert texts[row["doc_id"]][row["start_char"]:row["end_char"]] == row["text"]
        for cue in json.loads(row["cues"]):
            assert texts[row["doc_id"]][cue["start"]:cue["end"]] == cue["cue"]
            assert set(cue) >= {"start", "end", "code", "cue", "negated", "hedged"}


def test_coding_sentences_never_cross_a_turn(rows):
    doc = transcript()
    mine = [r for r in rows if r["doc_id"] == "møde.txt"]
    # "Hvordan går det i praktikken" has no full stop: without turns it would run into the next turn
    assert [r["text"] for r in mine][:2] == ["Hvordan går det i praktikken", "Det går godt."]
    for row in mine:
        turn = next(t for t in doc.turns if t.start <= row["start_char"] < t.end)
        assert row["end_char"] <= turn.end and row["speaker"] == turn.speaker and row["role"] == turn.role
    assert [r["sent_index"] for r in mine] == list(range(len(mine)))
    assert mine[0]["municipality"] == "Odense"


def test_coding_labels_and_cue_codes(rows):
    first = rows[0]
    assert first["framing"] == "deficit"
    assert {c["code"] for c in json.loads(first["cues"])} >= {"framing.deficit"}
    waiting = [r for r in rows if r["doc_id"] == "notat.txt"][-1]
    assert waiting["action"] == "waiting"
    assert all(r["model_version"] for r in rows)


def test_coding_skips_empty_documents(rows):
    assert not [r for r in rows if r["doc_id"] == "tom.txt"]


def test_coding_keeps_long_lived_objects_out_of_the_collector_and_gives_them_back(nlp_rules):
    """While rows are produced, the objects that existed before (pipeline, libraries) are frozen, so
    full collections do not walk them; afterwards they are unfrozen (frozen objects are never freed)."""
    import gc

    assert gc.get_freeze_count() == 0
    docs = [Document(doc_id=f"n{i}.txt", text=NOTE, pseudonymized=True) for i in range(3)]
    stream = code_documents(nlp_rules, docs, batch_size=1)
    first = next(stream)
    frozen_during = gc.get_freeze_count()
    rest = list(stream)
    assert frozen_during > 10_000
    assert gc.get_freeze_count() == 0
    assert len([first, *rest]) == 9
    # an abandoned stream gives them back too
    stream = code_documents(nlp_rules, docs, batch_size=1)
    next(stream)
    stream.close()
    assert gc.get_freeze_count() == 0


def test_coding_leaves_a_callers_own_frozen_objects_alone(nlp_rules):
    import gc

    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        rows = list(code_documents(nlp_rules, [Document(doc_id="n.txt", text=NOTE, pseudonymized=True)]))
        assert len(rows) == 3
        assert gc.get_freeze_count() > mine // 2  # still frozen: coding did not unfreeze what it did not freeze
    finally:
        gc.unfreeze()
