"""Export fixtures: a coded project (model + human coder, memos, metadata), the REFI-QDA schemas and the
example projects. Schemas and examples come from ../shared/refi-qda beside the repository when it is
there (as in CI), else from the vendored copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.store.conftest import all_coded_rows, make_document, TEXTS

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_REFI = REPO_ROOT.parent / "shared" / "refi-qda"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VENDORED_SCHEMAS = REPO_ROOT / "src" / "sprogtro" / "export" / "schemas"


def schema_path(name: str) -> Path:
    shared = SHARED_REFI / name
    return shared if shared.is_file() else VENDORED_SCHEMAS / name


def example_path(relative: str) -> Path:
    shared = SHARED_REFI / "examples" / relative
    return shared if shared.exists() else FIXTURES / relative


@pytest.fixture(scope="session")
def project_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path("Project.xsd"))))


@pytest.fixture(scope="session")
def codebook_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path("Codebook.xsd"))))


AARHUS = "Aarhus/journalnotat/sag-001.txt"
ODENSE = "Odense/transskription/møde-002.txt"
EMOJI_DOC = "Vejle/journalnotat/emoji.txt"
EMOJI_SENTENCES = ("Borgeren 👍 er mødt op.", "Æblet: Ø-klassen i Åbenrå.", "Hun mangler overblik.")
EMOJI_TEXT = f"{EMOJI_SENTENCES[0]} {EMOJI_SENTENCES[1]}\n{EMOJI_SENTENCES[2]}"


@pytest.fixture
def project(tmp_path):
    from sprogtro.store import Project

    with Project.init(tmp_path / "projekt") as p:
        yield p


@pytest.fixture
def full_project(tmp_path):
    """Model coding of three documents (one with an emoji: code points, not UTF-16 units), a human coder
    with overlapping segments, and memos on the project, a document and a code."""
    from sprogtro.store import Project

    project = Project.init(tmp_path / "fuld")
    docs = [make_document(d) for d in TEXTS]
    docs.append(make_document(EMOJI_DOC, text=EMOJI_TEXT, municipality="Vejle", doc_type="journalnotat",
                              date="2024-05-06"))
    for doc in docs:
        project.add_document(doc)
    rows = all_coded_rows(docs[:2])
    for i, (sentence, framing) in enumerate(zip(EMOJI_SENTENCES, ("resource", "neutral", "deficit"))):
        start = EMOJI_TEXT.index(sentence)
        rows.append({"doc_id": EMOJI_DOC, "sent_index": i, "start_char": start, "end_char": start + len(sentence),
                     "text": sentence, "framing": framing, "expectation": "none", "action": "none", "cues": "[]",
                     "framing_p": 0.6})
    project.save_sentence_coding(rows, coder="sprogtro-rules", version="0.1.0")
    project.add_codings([
        {"doc_id": AARHUS, "code": "framing.deficit", "start_char": 0, "end_char": 39},
        {"doc_id": AARHUS, "code": "framing.resource", "start_char": 30, "end_char": 70},
        {"doc_id": EMOJI_DOC, "code": "framing.resource", "start_char": 9, "end_char": 22},  # "👍 er mødt op."
        {"doc_id": EMOJI_DOC, "code": "expectation.none", "start_char": 23, "end_char": 49},
    ], coder="Lærke")
    project.add_memo("Overordnet memo om projektet.", title="Projekt")
    project.add_memo("Se på mødestabilitet.", title="Dokument", doc_id=AARHUS, author="Lærke")
    project.add_memo("Afgrænsning af deficit.", code="framing.deficit")
    yield project
    project.close()
