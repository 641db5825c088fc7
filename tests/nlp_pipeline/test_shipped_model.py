"""The shipped sprogtro_da pipeline, loaded the way sprogtro loads it (no da_core_news_* needed)."""

from __future__ import annotations

import pytest
import spacy

from sprogtro.nlp import models

SHIPPED = models.sprogtro_da_path()
pytestmark = pytest.mark.skipif(not (SHIPPED / "config.cfg").is_file(), reason="sprogtro_da is not shipped in this checkout")


@pytest.fixture(scope="module")
def nlp():
    base, tier = models.load_base("sprogtro_da", quiet=True)
    return base


def test_shipped_model_is_the_auto_tier_without_da_core_news(monkeypatch):
    monkeypatch.setattr(models, "AUTO_PACKAGES", ())
    nlp, tier = models.load_base("auto", quiet=True)
    assert tier == "sprogtro_da"
    assert nlp.meta["name"] == "sprogtro_da" and nlp.meta["license"] == "CC BY-SA 4.0"


def test_shipped_model_loads_with_spacy_builtins_only():
    nlp = spacy.load(SHIPPED)
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "ner", "sentencizer"]
    assert nlp.vocab.vectors.shape[0] == 0  # no vectors
    assert (SHIPPED / "MODEL_CARD.md").is_file()


def test_shipped_model_tags_and_lemmatizes(nlp):
    doc = nlp("Borgeren har svært ved at møde stabilt, men hun er god til at lave mad.")
    pos = {t.text: t.pos_ for t in doc}
    lemma = {t.text: t.lemma_ for t in doc}
    assert pos["Borgeren"] == "NOUN" and pos["har"] in ("AUX", "VERB") and pos["god"] == "ADJ"
    assert lemma["Borgeren"] == "borger" and lemma["har"] == "have" and lemma["møde"] == "møde"
    assert len(list(doc.sents)) == 1


@pytest.mark.parametrize(
    "text, name",
    [
        ("borger: min søster fatima hjælper mig med børnene", "fatima"),
        ("sagsbehandler: jeg har aftalt med jens nielsen fra netto at du starter mandag", "jens nielsen"),
        ("Jobkonsulent Aputsiaq Brendstrup deltog i mødet på jobcentret.", "Aputsiaq Brendstrup"),
    ],
)
def test_shipped_model_finds_names_also_in_lower_case(nlp, text, name):
    people = [e.text for e in nlp(text).ents if e.label_ == "PER"]
    assert name in people


def test_shipped_model_adds_lower_case_name_recall_to_pseudonymization(nlp):
    from sprogtro.privacy.pseudonymizer import Pseudonymizer

    # a name in no gazetteer, lower-cased: the rules alone leave it (when this was written); NER evidence catches it
    line = "borger: min søster aigerim hjælper mig med børnene"
    assert "aigerim" not in Pseudonymizer(style="tags", nlp=nlp).pseudonymize_text(line).text
