"""Person names from the gazetteers and from capitalisation.

Danish capitalises proper nouns only, so a capitalised token inside a sentence that is no ordinary
word is probably a name. Scores (see :func:`score_run`):

* a run holding a gazetteer name that is not an ordinary word ("Mette", "Kirkegaard"): 0.85–0.9
* two or more name tokens ("Bo Storm", "Dragana Petrović"): 0.7
* a name-word or unknown capitalised token inside a sentence ("… sammen med Storm", "… med Jovana"): 0.6
* an unknown capitalised token opening a sentence: 0.5 (a typo or rare word can be lost; a name
  that is not in the gazetteer is not); a name-word opening a sentence ("Rask og glad …"): no hit.

In transcripts and other mostly lower-case texts, lower-case gazetteer names that are no ordinary
word ("jeg snakkede med mette") are hits too (0.55, 0.7 after a cue word). Lower-case name-words
("bo", "skov", "rask") never are here; only a strong cue ("hedder bo") makes them names.
"""

from __future__ import annotations

from collections.abc import Collection

from sprogtro.privacy.lexicon import NameLexicon
from sprogtro.privacy.names import STRONG, UNKNOWN, WEAK, NameEvidence
from sprogtro.privacy.recognizers.base import Hit, LexiconRecognizer
from sprogtro.privacy.textview import TextView

LOWER_CUES = frozenset({
    "med", "og", "til", "hos", "fra", "om", "for", "ved", "hej", "kære", "siger", "sagde", "spørger", "spurgte",
    "ringede", "snakkede", "talte", "mødte", "hedder", "min", "mit", "din", "hans", "hendes", "vores", "at", "så",
})


def score_run(kinds: list[str], initial: bool) -> tuple[float, str]:
    """Score a run of name-token kinds; ``initial`` tells whether it opens a sentence."""
    names = [k for k in kinds if k in (STRONG, WEAK, UNKNOWN)]
    if not names:
        return 0.0, "no name token"
    if STRONG in names:
        return (0.9 if len(names) > 1 else 0.85), "gazetteer name"
    if len(names) > 1:
        return 0.7, "multi-part capitalised name"
    if not initial:
        return (0.65 if WEAK in names else 0.6), "capitalised inside a sentence"
    if names == [UNKNOWN]:
        return 0.5, "unknown capitalised word opening a sentence"
    return 0.3, "name-word opening a sentence"


class PersonRecognizer(LexiconRecognizer):
    name = "person"
    entity_type = "PERSON"
    uses_known = True

    def analyze(self, view: TextView, known: Collection[str] = ()) -> list[Hit]:
        lex = self.lexicon
        evidence = NameEvidence(view, lex, known)
        tokens = view.tokens
        hits: list[Hit] = []
        covered_until = -1
        for idx, tok in enumerate(tokens):
            if tok.start < covered_until:
                continue
            lower = not tok.capitalised
            if lower and not view.lowercase_mode:
                continue
            start, end, kinds = evidence.run_from(idx, lower_ok=lower)
            if end <= start:
                continue
            if lower:
                hit = self._lower_hit(view, idx, start, end, kinds, lex)
            else:
                score, why = score_run(kinds, tok.initial)
                hit = self.hit(start, end, score, "capitalised_run", why) if score else None
            if hit is not None:
                hits.append(hit)
                covered_until = end
        return hits

    def _lower_hit(self, view: TextView, idx: int, start: int, end: int, kinds: list[str], lex: NameLexicon) -> Hit | None:
        """A lower-case run in a transcript: strong gazetteer names only, boosted after a cue word."""
        if STRONG not in kinds or len(view.text[start:end]) < 3:
            return None
        if any(lex.is_word(part) and part.capitalize() not in lex.rare_word_names for part in view.text[start:end].split()):
            return None
        before = {t.lower for t in view.tokens[max(0, idx - 2) : idx]}
        cue = bool(before & LOWER_CUES) or len(kinds) > 1
        return self.hit(start, end, 0.7 if cue else 0.55, "lowercase_transcript",
                        "lower-case gazetteer name in a transcript" + (", after a cue word" if cue else ""))
