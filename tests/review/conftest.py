"""Review fixtures: a small project built with the store API, holding fictional, already pseudonymized
documents coded in the row format of ``sprogtro.nlp.coding.code_documents`` (cue offsets into the
document text, ``<dim>_p`` probabilities)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from sprogtro.corpus.document import Document, Turn

# doc_id → (municipality, doc_type, sentences). Each sentence: (speaker role or None, text,
# (framing, expectation, action), probabilities (framing_p, expectation_p, action_p),
# cues [(cue text, code, negated, hedged)]).
CORPUS = {
    "nordby/journal-001.txt": ("Nordby", "journalnotat", [
        (None, "Borgeren har svært ved at møde stabilt.", ("deficit", "none", "none"), (0.93, 0.9, 0.9),
         [("har svært ved", "deficit", False, False)]),
        (None, "Hun har erfaring med lagerarbejde og er god til at samarbejde.", ("resource", "none", "none"),
         (0.88, 0.9, 0.9), [("har erfaring med", "resource", False, False), ("er god til", "resource", False, False)]),
        (None, "Jeg tvivler på, at hun kan komme i ordinært job inden for et år.", ("neutral", "low", "none"),
         (0.7, 0.55, 0.9), [("tvivler på", "low", False, False)]),
        (None, "Sagen afventer lægeerklæring.", ("neutral", "none", "waiting"), (0.9, 0.9, 0.81),
         [("afventer", "waiting", False, False)]),
        (None, "Mødet blev holdt i jobcentret.", ("neutral", "none", "none"), (0.95, 0.95, 0.95), []),
    ]),
    "sydstrand/moede-002.txt": ("Sydstrand", "mødetransskription", [
        ("caseworker", "Du har ingen problemer med at lære nyt.", ("resource", "none", "none"), (0.52, 0.9, 0.9),
         [("problemer med", "deficit", True, False)]),
        ("citizen", "Måske kan jeg arbejde lidt på sigt.", ("neutral", "uncertain", "none"), (0.9, 0.48, 0.9),
         [("Måske", "uncertain", False, True)]),
        ("citizen", "Men jeg er ikke motiveret lige nu.", ("deficit", "none", "none"), (0.61, 0.9, 0.9),
         [("motiveret", "resource", True, False)]),
        ("caseworker", "Vi aftaler en praktik hos en lokal virksomhed.", ("neutral", "none", "action"),
         (0.9, 0.9, 0.92), [("praktik", "action", False, False)]),
    ]),
    "vestdal/visitation-003.txt": ("Vestdal", "visitation", [
        (None, "Han mangler uddannelse, men har stor arbejdsvilje.", ("mixed", "none", "none"), (0.58, 0.9, 0.9),
         [("mangler", "deficit", False, False), ("stor arbejdsvilje", "resource", False, False)]),
        (None, "Vi tror på, at han kan blive klar til et fleksjob.", ("neutral", "high", "none"), (0.9, 0.77, 0.9),
         [("tror på", "high", False, False)]),
        (None, "Han er <b>ikke</b> klar & sagen sættes i bero.", ("deficit", "low", "waiting"), (0.66, 0.59, 0.74),
         [("sættes i bero", "waiting", False, False)]),
    ]),
}
ROLE_LABEL = {"caseworker": "Sagsbehandler", "citizen": "Borger"}
CODER = "sprogtro-model"


def build_documents() -> tuple[list[Document], list[dict]]:
    """Documents and coded rows (code_documents format) for :data:`CORPUS`."""
    docs, rows = [], []
    for doc_id, (municipality, doc_type, sentences) in CORPUS.items():
        text, spans, turns = "", [], []
        for i, (role, sentence, _, _, _) in enumerate(sentences):
            if role:
                label = ROLE_LABEL[role]
                label_start = len(text)
                text += f"{label}: "
                start = len(text)
                text += sentence
                turns.append(Turn(start=start, end=len(text), speaker=label, role=role,
                                  label_start=label_start, label_end=label_start + len(label) + 1))
                text += "\n"
            else:
                start = len(text)
                text += sentence + " "
            spans.append((start, start + len(sentence)))
        text = text.rstrip() + "\n"
        docs.append(Document(doc_id=doc_id, text=text, turns=turns, pseudonymized=True,
                             metadata={"municipality": municipality, "doc_type": doc_type}))
        for i, ((role, sentence, labels, probs, cues), (start, end)) in enumerate(zip(sentences, spans)):
            assert text[start:end] == sentence
            cue_rows = []
            for cue, code, negated, hedged in cues:
                at = sentence.index(cue)
                cue_rows.append({"start": start + at, "end": start + at + len(cue), "code": code, "cue": cue,
                                 "negated": negated, "hedged": hedged})
            rows.append({
                "doc_id": doc_id, "sent_index": i, "start_char": start, "end_char": end,
                "speaker": ROLE_LABEL.get(role), "role": role, "text": sentence,
                "framing": labels[0], "expectation": labels[1], "action": labels[2],
                "framing_p": probs[0], "expectation_p": probs[1], "action_p": probs[2],
                "cues": json.dumps(cue_rows, ensure_ascii=False),
            })
    return docs, rows


def flagged_count() -> int:
    empty = ("neutral", "none", "none")
    return sum(1 for _, _, sents in CORPUS.values() for s in sents for label, e in zip(s[2], empty) if label != e)


def make_project(path: Path) -> Path:
    from sprogtro.store import Project

    docs, rows = build_documents()
    with Project.init(path) as project:
        for doc in docs:
            project.add_document(doc)
        project.save_sentence_coding(rows, coder=CODER, version="test-1")
    return path


@pytest.fixture(scope="session")
def _template_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("review-template") / "projekt")


@pytest.fixture
def project_dir(_template_project, tmp_path) -> Path:
    """A fresh copy of the test project (built once per session with the store API)."""
    target = tmp_path / "projekt"
    shutil.copytree(_template_project, target)
    return target


@pytest.fixture
def app(project_dir):
    from sprogtro.review.app import create_app

    app = create_app(project_dir)
    app.config["TESTING"] = True
    yield app
    app.extensions["sprogtro_review"].source.close()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(client) -> str:
    return client.get("/api/session").get_json()["csrf_token"]


@pytest.fixture
def token(client) -> str:
    return csrf_of(client)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app on 127.0.0.1 on a free port, served by Werkzeug's threaded server in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
