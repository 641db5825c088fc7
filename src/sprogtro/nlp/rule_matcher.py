"""Run a list of lexicon rules over a Doc: phrase rules through :class:`PatternIndex`, spaCy token
patterns through spaCy's ``Matcher``. Shared by the cue and context components."""

from __future__ import annotations

from typing import Iterable, NamedTuple

from spacy.attrs import IS_PUNCT, LEMMA, LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sprogtro.nlp.lexicon import LexiconError, Rule
from sprogtro.nlp.patterns import ALTERNATIVES, PatternIndex, compile_phrase


class RuleMatch(NamedTuple):
    # a tuple, not a frozen dataclass: built for every match of every document, and tuples build in C
    rule: Rule
    start: int
    end: int
    explicit: frozenset[int]


def token_lemma(token) -> str:
    """The lower-cased lemma, or the lower-case form when the pipeline set none."""
    lemma = token.lemma_
    return lemma.lower() if lemma else token.lower_


class _LowerCased(dict):
    """String hash → lower-cased string, filled on first sight from the StringStore of the Doc at hand
    (hashes are the same in every vocab). Bounded: cleared when ``limit`` is reached, so memory stays flat
    on corpora whose vocabulary keeps growing."""

    def __init__(self, limit: int = 200_000) -> None:
        super().__init__()
        self.limit = limit
        self.strings = None

    def __missing__(self, key: int) -> str:
        value = self.strings[key].lower()
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_LOWERED = _LowerCased()


def token_arrays(doc: Doc) -> tuple[list[str], list[str], list[bool]]:
    """Lower-case forms, lemmas (lower-cased; the form when unset) and punctuation flags of a Doc.

    Reads the token attributes as one array (no Token objects) and maps hashes to strings through a
    cache, in C loops (``map``): this runs for every token of every document, twice.
    """
    if not len(doc):
        return [], [], []
    _LOWERED.strings = doc.vocab.strings
    columns = doc.to_array([LOWER, LEMMA, IS_PUNCT]).T.tolist()
    lowers = list(map(_LOWERED.__getitem__, columns[0]))
    lemma_hashes = columns[1]
    if 0 in lemma_hashes:  # no lemma set: the lower-case form stands in
        lemmas = [_LOWERED[h] if h else lo for h, lo in zip(lemma_hashes, lowers)]
    else:
        lemmas = list(map(_LOWERED.__getitem__, lemma_hashes))
    return lowers, lemmas, list(map(bool, columns[2]))


class RuleMatcher:
    """Compiled rules for one component."""

    def __init__(self, vocab: Vocab, rules: Iterable[Rule], *, fillers: Iterable[str] = (),
                 max_fillers: int = 3, tokenize=None) -> None:
        self.rules: list[Rule] = list(rules)
        self.index = PatternIndex(fillers=fillers, max_fillers=max_fillers)
        self.matcher = Matcher(vocab)
        self._token_rules: dict[str, Rule] = {}
        for i, rule in enumerate(self.rules):
            if isinstance(rule.pattern, str):
                for phrase in rule.pattern.split(ALTERNATIVES):
                    self.index.add(i, compile_phrase(phrase, attr=rule.attr, tokenize=tokenize, source=rule.source))
            else:
                key = f"r{i}"
                try:
                    self.matcher.add(key, [rule.pattern])
                except Exception as exc:  # spaCy validates token patterns with its own messages
                    raise LexiconError(f"{rule.source}: invalid spaCy token pattern ({exc})") from exc
                self._token_rules[key] = rule

    def __len__(self) -> int:
        return len(self.rules)

    def __call__(self, doc: Doc) -> list[RuleMatch]:
        if not self.rules:
            return []
        lowers, lemmas, punct = token_arrays(doc)
        found = [RuleMatch(self.rules[pid], s, e, ex) for pid, s, e, ex in self.index.find(lowers, lemmas, punct)]
        if self._token_rules:
            for match_id, s, e in self.matcher(doc):
                rule = self._token_rules[doc.vocab.strings[match_id]]
                found.append(RuleMatch(rule, s, e, frozenset(range(s, e))))
        return found


def select_longest(matches: list[RuleMatch]) -> list[RuleMatch]:
    """Keep non-overlapping matches, preferring longer spans, then higher weight, then earlier start."""
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), -m.rule.weight, m.start))
    taken: set[int] = set()
    out = []
    for m in ordered:
        span = range(m.start, m.end)
        if any(i in taken for i in m.explicit or span):
            continue
        out.append(m)
        taken.update(m.explicit or span)
    return sorted(out, key=lambda m: (m.start, m.end))
