"""Organisations that can identify a citizen: employers, workplaces, shops with a location.

* a name with a legal form: "Hansen & Søn ApS", "Nordisk Rengøring A/S", "Vognmand Ole Jensen I/S" (0.85)
* a capitalised name after an employment cue: "ansat hos Bager Jensen", "praktik i Kvickly Viby",
  "arbejdsgiveren, Lund Transport" (0.7)
* a chain store with a location: "Netto i Viby", "Føtex Frederiksberg" (0.75); the chain alone
  ("handler i Netto") identifies no one and is kept.

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
        places = name_lexicon().places
        for m in _CUE_RE.finditer(text):
            value = m.group("v")
            words = value.split()
            if all(w in places for w in words) or words[0] in name_lexicon().not_names:
                continue  # "arbejder i Aarhus", "praktik i Kommunen": a place or a public body, not an employer
            hits.append(self.hit(m.start("v"), m.end("v"), 0.7, "employment_cue", "name after an employment cue"))
        return hits
