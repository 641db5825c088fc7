"""Named entities from a spaCy pipeline with NER (da_core_news_*, sprogtro_da), as extra evidence.

PER entities become PERSON hits and ORG entities ORG hits (a statistical model is trusted less
than the gazetteer, so lower scores). LOC entities become LOCATION hits: they are never replaced, but
the analyzer lets those on a known place veto weak person guesses on the same span ("Brabrand" is a
place, not a surname).

A small model's spans are sloppy: they run across speaker labels and line breaks ("Lotte): Det"),
take in greetings, titles and roles ("Hej Camilla", "Mester Henning Bro") and call acronyms and
ordinary nouns names ("PTSD", "Praktikken"). So each entity is cut at punctuation and line breaks
and trimmed to its name-like words; what is left must contain a word that could be a name (or
a capitalised ordinary word inside a sentence, "med Sol", "hos Blæksprutten"). Ordinary
lower-case words, sentence-initial ordinary words ("Det", "Hej"), acronyms, known places and non-names
are never evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sprogtro.privacy.lexicon import NameLexicon, name_lexicon
from sprogtro.privacy.recognizers.base import Hit, Recognizer
from sprogtro.privacy.textview import TextView

LABELS = {"PER": ("PERSON", 0.7), "PERSON": ("PERSON", 0.7), "ORG": ("ORG", 0.6), "LOC": ("LOCATION", 0.6),
          "GPE": ("LOCATION", 0.6)}
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*['’]?")
_SAME_RUN = {"PERSON": re.compile(r"[ \t]+"), "ORG": re.compile(r"[ \t]*&[ \t]*|[ \t]+"),
             "LOCATION": re.compile(r"[ \t]+")}


def has_ner(nlp: Any) -> bool:
    """True when ``nlp`` is a spaCy pipeline with an entity recognizer."""
    return nlp is not None and "ner" in getattr(nlp, "pipe_names", ())


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower() if word.islower() or word.isupper() else word


def _ordinary(word: str, lex: NameLexicon) -> bool:
    """An ordinary Danish word (any case); hyphenated: every part ordinary or an acronym ("IPS-konsulent")."""
    parts = word.split("-")
    return all(lex.is_word(p.lower()) or (p.isupper() and len(parts) > 1) for p in parts)


def name_like(word: str, lex: NameLexicon) -> bool:
    """Could ``word`` be (part of) a person's name? Gazetteer names (not lower-case name-words such as
    "bo"), and unknown words that are no acronym, place, non-name or ordinary word."""
    core = word.rstrip("'’")
    if len(core) < 2:
        return False
    title = _title(core)
    if title in lex.places or title in lex.not_names:
        return False
    if lex.is_name(title) or (title.endswith("s") and lex.is_name(title[:-1])):
        return not (core.islower() and lex.is_word(core))
    if core.isupper() or _ordinary(core, lex):
        return False
    return not (core.islower() and len(core) < 3)


class NerRecognizer(Recognizer):
    name = "spacy_ner"
    entity_type = "PERSON"

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def analyze(self, view: TextView, known=()) -> list[Hit]:
        if not has_ner(self.nlp) or not view.text.strip():
            return []
        lex = name_lexicon()
        text = view.text
        disable = [p for p in self.nlp.pipe_names if p not in ("tok2vec", "transformer", "ner")]
        doc = self.nlp(text, disable=disable)
        hits: list[Hit] = []
        for ent in doc.ents:
            mapped = LABELS.get(ent.label_)
            if mapped is None:
                continue
            entity, score = mapped
            for start, end in self._spans(text, ent.start_char, ent.end_char, entity, lex):
                hits.append(self.hit(start, end, score, f"ner_{ent.label_}", f"spaCy {ent.label_} entity", entity))
        return hits

    @staticmethod
    def _spans(text: str, start: int, end: int, entity: str, lex: NameLexicon) -> list[tuple[int, int]]:
        """The entity cut into runs of words (at punctuation and line breaks) and trimmed to its names."""
        runs: list[list[re.Match]] = []
        for m in _TOKEN.finditer(text, start, end):
            if runs and _SAME_RUN[entity].fullmatch(text[runs[-1][-1].end() : m.start()]):
                runs[-1].append(m)
            else:
                runs.append([m])
        spans = []
        for run in runs:
            if entity == "LOCATION":
                spans.append((run[0].start(), run[-1].end()))
                continue
            good = [NerRecognizer._evidence(text, m, entity, lex) for m in run]
            if not any(good):
                continue
            first = good.index(True)
            last = len(good) - 1 - good[::-1].index(True)
            if entity == "ORG":  # an organisation keeps its ordinary capitalised words ("Bjerg & Søn")
                while (first > 0 and not run[first - 1].group().islower()
                       and not _sentence_start(text, run[first - 1].start())):
                    first -= 1
                while last < len(run) - 1 and not run[last + 1].group().islower():
                    last += 1
            spans.append((run[first].start(), run[last].end()))
        return spans

    @staticmethod
    def _evidence(text: str, m: re.Match, entity: str, lex: NameLexicon) -> bool:
        word = m.group()
        if word.islower() and re.match(r"\.\s*[a-zæøå\d]", text[m.end() : m.end() + 3]):
            return False  # an abbreviation ("inkl. moms")
        if name_like(word, lex):
            return True
        # a capitalised ordinary word inside a sentence ("med Sol", "hos Blæksprutten"), as the rules read it
        return (word[:1].isupper() and word[1:2].islower() and _title(word) not in lex.places
                and _title(word) not in lex.not_names and not _sentence_start(text, m.start()))


def _sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` opens a sentence, a line, a speaker turn or a bullet."""
    before = text[max(0, pos - 200) : pos].rstrip(" \t\"'«»(–•*-")
    return not before or before[-1] in ".!?:;\n])"


@lru_cache(maxsize=4)
def _load_base(model: str) -> tuple[Any, str]:
    """The spaCy pipeline alone, without sprogtro's coding components (not needed here); loaded once
    per process (the recognizer only reads from it)."""
    from sprogtro.nlp.models import load_base  # spaCy: imported only when a model is asked for

    return load_base(model)


def load_ner_pipeline(model: str | None = "auto", *, say=None) -> Any:
    """The base spaCy pipeline for ``--model`` (``auto``, a tier, a package name or a path) when it has
    NER, else None; ``none`` means rules only. ``say`` gets one line for stderr naming the tier that
    gives NER evidence, or saying that none does. spaCy is imported only here (commands stay fast)."""
    if model is None or str(model).lower() == "none":
        if say:
            say("pseudonymization: rules only (--model none: no NER evidence)")
        return None
    nlp, tier = _load_base(str(model))
    if has_ner(nlp):
        if say:
            say(f"pseudonymization: NER evidence from spaCy pipeline '{tier}' "
                f"({nlp.meta.get('name', '?')} {nlp.meta.get('version', '')}) next to the rules")
        return nlp
    if say:
        say(f"pseudonymization: spaCy pipeline '{tier}' has no NER; names are found by rules only")
    return None
