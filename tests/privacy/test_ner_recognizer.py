"""spaCy NER as extra evidence (tested with a rule-based stand-in named "ner", no model download)."""

from __future__ import annotations

import spacy

from sprogtro.privacy.analyzer import Analyzer
from sprogtro.privacy.recognizers.ner import NerRecognizer, has_ner
from sprogtro.privacy.textview import TextView


def _nlp_with_ents(patterns):
    nlp = spacy.blank("da")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(patterns)
    return nlp


def test_ner_entities_become_hits():
    nlp = _nlp_with_ents([{"label": "PER", "pattern": "lægen"}, {"label": "ORG", "pattern": "Blæksprutten"}])
    text = "Hun talte med lægen fra Blæksprutten i går."
    hits = NerRecognizer(nlp).analyze(TextView(text))
    assert [(text[h.start : h.end], h.entity_type) for h in hits] == [("Blæksprutten", "ORG")]  # lower-case word: ignored


def test_ner_adds_person_the_rules_miss():
    nlp = _nlp_with_ents([{"label": "PER", "pattern": [{"TEXT": "Sol"}]}])
    text = "Hun har talt med Sol om praktikken."
    assert not any(h.entity_type == "PERSON" for h in Analyzer().analyze(text))
    hits = Analyzer(nlp=nlp).analyze(text)
    assert [(text[h.start : h.end], h.entity_type) for h in hits] == [("Sol", "PERSON")]


def test_ner_spans_are_trimmed_to_names():
    # a small model glues greetings, roles, labels and sentence openers to names
    nlp = _nlp_with_ents([{"label": "PER", "pattern": "Hej Nukappiaq"}, {"label": "PER", "pattern": "Mester"},
                          {"label": "PER", "pattern": [{"TEXT": "Lotte"}, {"TEXT": "):"}, {"TEXT": "Det"}]},
                          {"label": "PER", "pattern": "PTSD"}, {"label": "ORG", "pattern": "Praktikken udvides"}])
    text = "Hej Nukappiaq. Mester siger god dag.\nLotte): Det er PTSD.\nPraktikken udvides."
    hits = NerRecognizer(nlp).analyze(TextView(text))
    assert [text[h.start : h.end] for h in hits] == ["Nukappiaq", "Lotte"]


def test_ner_unknown_place_does_not_veto_a_name_guess():
    # sprogtro_da calls rare foreign names places ("Aftalen med Nukappiaq" → LOC): no veto, no lost recall
    text = "Hun flyttede senere til Zxyborg med familien."
    assert [text[h.start : h.end] for h in Analyzer().analyze(text)] == ["Zxyborg"]
    nlp = _nlp_with_ents([{"label": "LOC", "pattern": "Zxyborg"}])
    assert [text[h.start : h.end] for h in Analyzer(nlp=nlp).analyze(text)] == ["Zxyborg"]


def test_ner_known_place_vetoes_a_weak_person_guess():
    text = "Hun flyttede senere til Tønder med familien."  # Tønder: a surname and a town on the place list
    assert [(text[h.start : h.end], h.entity_type) for h in Analyzer().analyze(text)] == [("Tønder", "PERSON")]
    nlp = _nlp_with_ents([{"label": "LOC", "pattern": "Tønder"}])
    assert Analyzer(nlp=nlp).analyze(text) == []


def test_ner_absent_means_no_evidence():
    assert not has_ner(spacy.blank("da"))
    assert NerRecognizer(spacy.blank("da")).analyze(TextView("Mette")) == []


def test_ner_person_span_drops_a_leading_greeting():
    nlp = _nlp_with_ents([{"label": "PER", "pattern": [{"TEXT": "Hej"}, {"TEXT": "Zorbina"}]}])
    text = "Hej Zorbina, hvordan går det?"
    hits = NerRecognizer(nlp).analyze(TextView(text))
    assert [text[h.start : h.end] for h in hits] == ["Zorbina"]
