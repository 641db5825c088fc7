"""Store fixtures: a fresh project and fictional, already pseudonymized documents with coded rows in the
row format of ``sprogtro.nlp.coding.code_documents``."""

from __future__ import annotations

import json
import re

import pytest

from sprogtro.corpus.document import Document, Turn

TEXTS = {
    "Aarhus/journalnotat/sag-001.txt": (
        "Borgeren har svært ved at møde stabilt. Hun er god til at samarbejde. "
        "Vi afventer lægeerklæringen. Jeg tror på, at hun kan komme i job."
    ),
    "Odense/transskription/møde-002.txt": (
        "Sagsbehandler: Hvordan går det i praktikken?\n"
        "Borger: Det går godt, jeg møder hver dag.\n"
        "Sagsbehandler: Vi starter et afklaringsforløb næste uge."
    ),
}
META = {
    "Aarhus/journalnotat/sag-001.txt": {"municipality": "Aarhus", "doc_type": "journalnotat",
                                        "date": "2023-03-01", "case_id": "AAR-1", "afdeling": "Jobcenter"},
    "Odense/transskription/møde-002.txt": {"municipality": "Odense", "doc_type": "transskription",
                                           "date": "2023-04-02", "case_id": "ODE-2"},
}
LABELS = [  # per sentence, in order: framing, expectation, action
    ("deficit", "none", "none"), ("resource", "none", "none"), ("neutral", "none", "waiting"),
    ("neutral", "high", "none"),
    ("neutral", "none", "none"), ("resource", "none", "none"), ("neutral", "none", "action"),
]


def make_document(doc_id: str, text: str | None = None, **meta) -> Document:
    text = TEXTS[doc_id] if text is None else text
    turns = []
    for m in re.finditer(r"^(Sagsbehandler|Borger):[^\n]*", text, flags=re.M):
        label_end = m.start() + len(m.group(1)) + 1
        role = "caseworker" if m.group(1) == "Sagsbehandler" else "citizen"
        turns.append(Turn(start=label_end + 1, end=m.end(), speaker=m.group(1), role=role,
                          label_start=m.start(), label_end=label_end))
    return Document(doc_id=doc_id, text=text, metadata={**META.get(doc_id, {}), **meta}, turns=turns,
                    pseudonymized=True)


def split_sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.?!\n]+[.?!]?", text) if m.group().strip()]


def coded_rows(doc: Document, labels) -> list[dict]:
    rows = []
    for i, ((start, end), (framing, expectation, action)) in enumerate(zip(split_sentences(doc.text), labels)):
        while doc.text[start] == " ":
            start += 1
        text = doc.text[start:end]
        cues = []
        if framing == "deficit":
            cues.append({"start": start, "end": start + 8, "code": "framing.deficit", "cue": text[:8],
                         "negated": False, "hedged": False})
        rows.append({"doc_id": doc.doc_id, "sent_index": i, "start_char": start, "end_char": end,
                     "speaker": None, "role": "caseworker", "text": text, "framing": framing,
                     "expectation": expectation, "action": action, "cues": json.dumps(cues),
                     "framing_p": 0.9, "expectation_p": 0.8, "action_p": 0.7})
    return rows


def all_coded_rows(docs) -> list[dict]:
    rows, k = [], 0
    for doc in docs:
        n = len(split_sentences(doc.text))
        rows += coded_rows(doc, LABELS[k:k + n])
        k += n
    return rows


@pytest.fixture
def project(tmp_path):
    from sprogtro.store import Project

    with Project.init(tmp_path / "projekt") as p:
        yield p


@pytest.fixture
def documents():
    return [make_document(doc_id) for doc_id in TEXTS]


@pytest.fixture
def coded_project(project, documents):
    for doc in documents:
        project.add_document(doc)
    project.save_sentence_coding(all_coded_rows(documents), coder="sprogtro-rules", version="0.1.0")
    return project
