"""Named entities from a spaCy pipeline with NER (da_core_news_*), as extra evidence.

PER entities become PERSON hits and ORG entities ORG hits (a statistical model is trusted less
than the gazetteer, so lower scores). LOC entities become LOCATION hits: they are never replaced, but
the analyzer lets them veto weak person guesses on the same span ("Brabrand" is a place, not a
surname). Entities that are only ordinary lower-case words are ignored.
"""

from __future__ import annotations

from typing import Any

from sprogtro.privacy.lexicon import name_lexicon
from sprogtro.privacy.recognizers.base import Hit, Recognizer
from sprogtro.privacy.textview import TextView

LABELS = {"PER": ("PERSON", 0.7), "PERSON": ("PERSON", 0.7), "ORG": ("ORG", 0.6), "LOC": ("LOCATION", 0.6),
          "GPE": ("LOCATION", 0.6)}


def has_ner(nlp: Any) -> bool:
    """True when ``nlp`` is a spaCy pipeline with an entity recognizer."""
    return nlp is not None and "ner" in getattr(nlp, "pipe_names", ())


class NerRecognizer(Recognizer):
    name = "spacy_ner"
    entity_type = "PERSON"

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def analyze(self, view: TextView, known=()) -> list[Hit]:
        if not has_ner(self.nlp) or not view.text.strip():
            return []
        lex = name_lexicon()
        disable = [p for p in self.nlp.pipe_names if p not in ("tok2vec", "transformer", "ner")]
        doc = self.nlp(view.text, disable=disable)
        hits: list[Hit] = []
        for ent in doc.ents:
            mapped = LABELS.get(ent.label_)
            if mapped is None:
                continue
            entity, score = mapped
            words = ent.text.split()
            if all(w.islower() and lex.is_word(w) for w in words):
                continue
            hits.append(self.hit(ent.start_char, ent.end_char, score, f"ner_{ent.label_}", f"spaCy {ent.label_} entity", entity))
        return hits
