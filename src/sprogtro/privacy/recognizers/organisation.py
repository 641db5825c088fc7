"""Organisations that can identify a citizen: employers, workplaces, shops with a location.

* a name with a legal form: "Hansen & Søn ApS", "Nordisk Rengøring A/S", "Vognmand Ole Jensen I/S" (0.85)
* a capitalised name after an employment cue: "ansat hos Bager Jensen", "praktik i Kvickly Viby",
  "arbejdsgiveren, Lund Transport" (0.7)
* a chain store with a location: "Netto i Viby", "Føtex Frederiksberg" (0.75); the chain alone
  ("handler i Netto") identifies no one and is kept.
* a capitalised ordinary word inside a sentence, alone or in a run of capitalised words: Danish
  capitalises only names, so "hos Nordjysk Forsyning", "på Plejecenter Solbakken", "på Lagerhuset",
  "Kvarterhuset i Kvaglund" name a place of work (0.6; 0.7 with two words or after hos/på/i/ved/fra/til).

Public bodies on the allow-list (``data/public_bodies.txt``: "Jobcenter Aarhus", "Udbetaling Danmark")
are kept; the analyzer removes any hit that overlaps them.
"""

from __future__ import annotations

import re

from sprogtro.privacy.lexicon import data_lines, name_lexicon
from sprogtro.privacy.recognizers.base import Hit, Recognizer
from sprogtro.privacy.textview import TextView

_UP = "A-ZÆØÅÉÜÖÄ0-9"
_NAMEWORD = rf"(?:[{_UP}][\w'’.-]*|&|og|i|på|for|af)"
_LEGAL = r"(?:ApS|A/S|I/S|IVS|K/S|P/S|A\.m\.b\.A\.?|AMBA|a\.m\.b\.a\.?|Holding)"
_LEGAL_RE = re.compile(rf"(?<![\w])(?:[{_UP}][\w'’.-]*)(?:\s{_NAMEWORD}){{0,5}}\s{_LEGAL}(?![\w/])")
_CUES = (
    r"ansat\s+(?:hos|i|på|ved)|arbejder\s+(?:hos|i|på|ved)|arbejdet\s+(?:hos|i|på|ved)|job\s+(?:hos|i|på|ved)"
    r"|praktik\s+(?:hos|i|på|ved)|løntilskud\s+(?:hos|i|på|ved)|fleksjob\s+(?:hos|i|på|ved)|elev\s+(?:hos|i|på)"
    r"|lærling\s+(?:hos|i|på)|arbejdsgiver(?:en)?,?|virksomheden|firmaet|butikken|fabrikken|restauranten"
    r"|opsagt\s+(?:hos|fra|af)|fyret\s+(?:fra|hos)|ansættelse\s+(?:hos|i|på|ved)|timer\s+(?:hos|i|på)"
    r"|praktikplads(?:en)?\s+(?:hos|i|på)|praktikstedet,?|arbejdspladsen,?|arbejdsplads\s+(?:hos|i|på)"
)
_ORGWORD = r"[A-ZÆØÅÉÜÖÄ][\w'’&-]*(?:\.[\w]+)*"
_CUE_RE = re.compile(rf"(?<![\w])(?i:{_CUES})\s+(?P<v>{_ORGWORD}(?:\s{_ORGWORD}){{0,3}})")


class OrganisationRecognizer(Recognizer):
    name = "organisation"
    entity_type = "ORG"

    def __init__(self) -> None:
        chains = sorted(data_lines("chains.txt"), key=len, reverse=True)
        alts = "|".join(re.escape(c) for c in chains)
        self._chain_re = re.compile(
            rf"(?<![\w])(?:{alts})(?:\s(?:i|på)\s[A-ZÆØÅ][\w-]+|\s[A-ZÆØÅ][\w-]+(?:\s[A-ZÆØÅ]\b)?)(?![\w])"
        )

    def analyze(self, view: TextView, known=()) -> list[Hit]:
        text = view.text
        hits = [self.hit(m.start(), m.end(), 0.95, "legal_form", "name with a legal form") for m in _LEGAL_RE.finditer(text)]
        hits += [self.hit(m.start(), m.end(), 0.75, "chain_location", "chain store with a location")
                 for m in self._chain_re.finditer(text)]
        hits += self._capitalised_names(view)
        places = name_lexicon().places
        for m in _CUE_RE.finditer(text):
            value = m.group("v")
            words = value.split()
            if all(w in places for w in words) or words[0] in name_lexicon().not_names:
                continue  # "arbejder i Aarhus", "praktik i Kommunen": a place or a public body, not an employer
            hits.append(self.hit(m.start("v"), m.end("v"), 0.7, "employment_cue", "name after an employment cue"))
        return hits

    def _capitalised_names(self, view: TextView) -> list[Hit]:
        """Runs of capitalised tokens holding a capitalised ordinary word that does not open a sentence."""
        lex = name_lexicon()
        tokens, text = view.tokens, view.text
        hits: list[Hit] = []
        k = 0
        while k < len(tokens):
            if not tokens[k].capitalised:
                k += 1
                continue
            j = k
            while j + 1 < len(tokens) and tokens[j + 1].capitalised and text[tokens[j].end : tokens[j + 1].start] == " ":
                j += 1
            if j + 2 < len(tokens) and text[tokens[j].end : tokens[j + 2].start] in (" i ", " på ") \
                    and tokens[j + 2].capitalised and not lex.is_word(tokens[j + 2].lower):
                j += 2  # "Kvarterhuset i Kvaglund"
            run = tokens[k : j + 1]
            if any(_common_noun(t, lex) for t in run):
                before = text[max(0, run[0].start - 5) : run[0].start].lower().split()
                score = 0.7 if len(run) > 1 or (before and before[-1] in _PLACE_WORDS) else 0.6
                hits.append(self.hit(run[0].start, run[-1].end, score, "capitalised_name",
                                     "capitalised ordinary word inside a sentence"))
            k = j + 1
        return hits


_PLACE_WORDS = {"hos", "på", "i", "ved", "fra", "til", "med"}


def _common_noun(token, lex) -> bool:
    """A capitalised ordinary word that does not open a sentence and is no name, place or listed word."""
    title = token.text
    return (not token.initial and not token.text.isupper() and len(title) > 2 and title not in lex.not_names
            and title not in lex.places and not lex.is_name(title) and lex.is_word(title.lower()))
