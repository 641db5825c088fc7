"""Run the recognizers over a text and merge their hits into one non-overlapping list.

Steps: every recognizer proposes hits → hits on allow-listed public bodies are dropped → known
places (NER LOC entities on a name of the place list) veto weak person guesses → hits under the
threshold are dropped → names found once are looked for everywhere else in the text (a second pass
with them as *known* names, so "Storm" found after "hedder" is also caught where it opens a
sentence) → overlapping hits are merged (same type: union; different types: the higher score, then
the longer span wins).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sprogtro.corpus.document import Turn
from sprogtro.privacy.lexicon import data_lines, name_lexicon
from sprogtro.privacy.names import PARTICLES
from sprogtro.privacy.recognizers import Hit, Recognizer, default_recognizers
from sprogtro.privacy.recognizers.ner import NerRecognizer, has_ner
from sprogtro.privacy.textview import TextView

DEFAULT_THRESHOLD = 0.5
_VETO_BELOW = 0.7
PROPAGATE_FROM = 0.7  # names found with at least this score are looked for everywhere in the text
_CAPWORD = r"[A-ZÆØÅ][\w]*(?:-[A-ZÆØÅ]?[\w]+)*"


def compile_allow_list(entries: Iterable[str]) -> re.Pattern | None:
    """Allow-list lines ("Jobcenter *", "* Kommune", "Udbetaling Danmark") → one regex; ``*`` is one
    capitalised (possibly hyphenated) word."""
    alts = []
    for entry in sorted(set(entries), key=len, reverse=True):
        alts.append(r"\s+".join(_CAPWORD if part == "*" else re.escape(part) for part in entry.split()))
    if not alts:
        return None
    return re.compile(rf"(?<![\w])(?:{'|'.join(alts)})(?![\w])", re.UNICODE)


class Analyzer:
    """Detects identifiers in a text. ``nlp`` (a spaCy pipeline with NER) adds its entities as evidence."""

    def __init__(
        self,
        recognizers: Sequence[Recognizer] | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        allow_list: Iterable[str] | None = None,
        nlp: Any = None,
    ) -> None:
        self.recognizers = list(recognizers) if recognizers is not None else default_recognizers()
        if has_ner(nlp):
            self.recognizers.append(NerRecognizer(nlp))
        self.threshold = threshold
        self.allow = compile_allow_list(allow_list if allow_list is not None else data_lines("public_bodies.txt"))

    def analyze(self, text: str, turns: Sequence[Turn] = (), known: Collection[str] = (),
                known_orgs: Collection[str] = ()) -> list[Hit]:
        """Non-overlapping hits in ``text``, sorted by start. ``known``: name words and ``known_orgs``:
        organisation names known from elsewhere (earlier documents of the corpus)."""
        view = TextView(text, list(turns))
        allowed = [m.span() for m in self.allow.finditer(text)] if self.allow is not None else []
        hits = self._pass(view, allowed, known, self.recognizers)
        strong = [h for h in hits if h.score >= PROPAGATE_FROM]
        found = person_words(text, strong)
        if found - set(known):  # second pass: only the recognizers that use known names
            again = [r for r in self.recognizers if r.uses_known]
            names = {r.name for r in again}
            hits = [h for h in hits if h.recognizer not in names] + self._pass(view, allowed, set(known) | found, again)
        orgs = set(known_orgs) | {text[h.start : h.end] for h in strong if h.entity_type == "ORG"}
        hits += [h for h in occurrences(text, orgs, "ORG") if not _inside_any(h, allowed)]
        return resolve(hits)

    def _pass(self, view: TextView, allowed: list[tuple[int, int]], known: Collection[str],
              recognizers: Sequence[Recognizer]) -> list[Hit]:
        raw: list[Hit] = []
        for recognizer in recognizers:
            raw.extend(recognizer.analyze(view, known))
        kept = [h for h in raw if not (h.entity_type in ("PERSON", "ORG", "LOCATION") and _inside_any(h, allowed))]
        # Only places the place list knows veto: the model also calls rare foreign names places
        # ("Aftalen med Nukappiaq" → LOC), and adding NER must never cost recall on such names.
        places = [h for h in kept if h.entity_type == "LOCATION" and known_place(view.text[h.start : h.end])]
        kept = [h for h in kept if h.entity_type != "LOCATION"]
        if places:
            kept = [h for h in kept if not (h.entity_type == "PERSON" and h.score < _VETO_BELOW
                                            and any(h.overlaps(p) for p in places))]
        return [h for h in kept if h.score >= self.threshold]


def known_place(span: str) -> bool:
    """True when ``span`` (an NER LOC entity) is a place of the place list, in any case and with or
    without a genitive -s ("Brabrand", "aarhus", "Tønders", "Sri Lanka")."""
    places = name_lexicon().places
    words = span.split()
    if not words:
        return False
    candidates = {" ".join(w[:1].upper() + w[1:].lower() if (w.islower() or w.isupper()) else w for w in words)}
    candidates |= {c[:-1] for c in candidates if c.endswith("s")} | {c[:-1] for c in candidates if c.endswith("'")}
    return any(c in places for c in candidates)


def person_words(text: str, hits: Iterable[Hit]) -> set[str]:
    """The name words of PERSON hits, title-cased ("mette" → "Mette"), for propagation."""
    lex = name_lexicon()
    words: set[str] = set()
    for hit in hits:
        if hit.entity_type != "PERSON":
            continue
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text[hit.start : hit.end]):
            title = word[0].upper() + word[1:].lower() if word.islower() or word.isupper() else word
            if len(word) > 1 and word.lower() not in PARTICLES and title not in lex.not_names and title not in lex.places:
                words.add(title)
    return words


def occurrences(text: str, strings: Collection[str], entity_type: str) -> list[Hit]:
    """Every whole-word occurrence of ``strings`` in ``text`` (organisations found once, found everywhere)."""
    strings = [s for s in strings if len(s) > 2]
    if not strings:
        return []
    alts = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True))
    return [Hit(m.start(), m.end(), entity_type, 0.75, "propagation", "known_" + entity_type.lower(),
                "found elsewhere in the corpus") for m in re.finditer(rf"(?<![\w])(?:{alts})(?![\w])", text)]


def _inside_any(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(hit.start < e and s < hit.end for s, e in spans)


def resolve(hits: Iterable[Hit]) -> list[Hit]:
    """Merge overlapping hits: same type → union (max score); otherwise higher score, then longer wins."""
    accepted: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.score, -h.length, h.start)):
        clash = [a for a in accepted if a.overlaps(hit)]
        if not clash:
            accepted.append(hit)
        elif all(a.entity_type == hit.entity_type for a in clash):
            for a in clash:
                accepted.remove(a)
            start = min([hit.start] + [a.start for a in clash])
            end = max([hit.end] + [a.end for a in clash])
            best = max(clash, key=lambda a: a.score)
            accepted.append(Hit(start, end, best.entity_type, best.score, best.recognizer, best.pattern, best.explanation))
    return sorted(accepted, key=lambda h: h.start)
