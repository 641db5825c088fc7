"""End to end on fictional corpora with planted identifiers: none survives, and fewer than 3 % of the
ordinary words are removed. Runs over our own fixtures and, once it exists, over corpora_sample's
gold list of planted identifiers, with and without the NER of the loaded spaCy pipeline."""

from __future__ import annotations

import pytest

from sprogtro.corpus import iter_documents
from sprogtro.privacy.evaluation import Score, load_planted
from sprogtro.privacy.pseudonymizer import Pseudonymizer


def _score(corpus, planted, style="realistic", nlp=None) -> tuple[Score, int]:
    pseudonymizer = Pseudonymizer(style=style, nlp=nlp)
    score, seen = Score(), 0
    for doc in iter_documents(corpus):
        values = planted.get(doc.doc_id) or planted.get(doc.doc_id.rsplit(".", 1)[0]) or []
        seen += bool(values)
        out = pseudonymizer.process(doc).document
        score.add(doc.doc_id, doc.text, out.text, values)
    return score, seen


@pytest.mark.parametrize("style", ["realistic", "tags"])
def test_end_to_end_fixture_corpus(fixtures_dir, style):
    planted = load_planted(fixtures_dir / "planted.csv")
    score, seen = _score(fixtures_dir / "corpus", planted, style)
    assert seen == len(planted)
    assert score.survived == []
    assert score.loss < 0.03, f"{score.removed}/{score.ordinary} ordinary words removed"


@pytest.mark.parametrize("model", ["none", "auto"])  # rules only; rules + NER of the loaded pipeline (sprogtro_da)
def test_end_to_end_sample_corpus(sample_corpus, model):
    from sprogtro.privacy.recognizers.ner import load_ner_pipeline

    gold = sample_corpus / "gold" / "planted_identifiers.csv"
    if not gold.is_file():
        pytest.skip("corpora_sample/gold/planted_identifiers.csv not written yet")
    planted = load_planted(gold)
    nlp = load_ner_pipeline(model)
    assert (nlp is None) == (model == "none")
    score, seen = _score(sample_corpus, planted, nlp=nlp)
    assert seen > 0
    assert score.survived == [], score.survived[:10]
    assert score.loss < 0.03, f"{score.removed}/{score.ordinary} ordinary words removed"
