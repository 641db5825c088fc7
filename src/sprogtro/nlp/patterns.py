"""The match engine behind the lexicons: phrase patterns compiled to an index keyed by the first token.

spaCy's ``Matcher`` tries every pattern at every token, so with a thousand lexicon phrases it ran at about
8,000 tokens/s here, and its ``REGEX`` predicates (needed for Danish compounds and inflection) are slower
still. This engine looks up each token's keys (lower-case form, lemma, known stems, compound heads) in
dicts and only tries the patterns that can start there, so its cost barely grows with the lexicon.
Explicit spaCy token patterns (lists of dicts) still go through spaCy's ``Matcher``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Iterable, Sequence

from sprogtro.nlp.lexicon import LexiconError

GAP = "..."
ALTERNATIVES = " || "  # separates whole alternative phrases of one rule
GAP_MAX = 3
MIN_STEM = 3
# Per-word caches are cleared when full: a corpus keeps bringing new word types (identifiers, typos,
# compounds), and memory must stay flat however many documents pass; frequent words return at once.
KEY_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class Element:
    """One pattern position: the keys a token may have, and whether it may be left out.

    A gap element has no keys and matches ``0..max_len`` non-punctuation tokens.
    """

    keys: frozenset[str]
    optional: bool = False
    gap: bool = False
    max_len: int = 1


def _word_keys(alt: str, attr: str, source: str) -> str:
    if alt.startswith("~"):
        return "m:" + alt[1:].lower()
    if alt.startswith("*") and alt.endswith("*") and len(alt) > 2:
        core = alt[1:-1].lower()
        kind = "c:"
    elif alt.endswith("*") and len(alt) > 1:
        core = alt[:-1].lower()
        kind = "p:"
    elif alt.startswith("*") and len(alt) > 1:
        core = alt[1:].lower()
        kind = "s:"
    else:
        return ("m:" if attr == "lemma" else "l:") + alt.lower()
    if len(core) < MIN_STEM:
        raise LexiconError(f"{source}: stem {alt!r} is shorter than {MIN_STEM} letters; write the whole word")
    return kind + core


def compile_phrase(phrase: str, *, attr: str = "lower", tokenize=None, source: str = "") -> list[Element]:
    """Compile the phrase syntax (see :mod:`sprogtro.nlp.lexicon`) into elements.

    ``tokenize`` splits a plain word the way the pipeline's tokenizer does ("f.eks." stays one token,
    "ik'" too); without it, words are kept whole.
    """
    elements: list[Element] = []
    for raw in phrase.split():
        if raw in (GAP, "…") or (raw.startswith(GAP) and raw[3:].isdigit()):
            size = int(raw[3:]) if raw[3:].isdigit() else GAP_MAX
            elements.append(Element(frozenset(), optional=True, gap=True, max_len=size))
            continue
        optional = raw.startswith("(") and raw.endswith(")") and len(raw) > 2
        word = raw[1:-1] if optional else raw
        alts = [a for a in word.split("|") if a]
        if not alts:
            raise LexiconError(f"{source}: empty alternative in {phrase!r}")
        syntax = optional or len(alts) > 1 or any(a[0] in "~*" or a[-1] == "*" for a in alts)
        if not syntax and tokenize is not None and attr == "lower":
            pieces = tokenize(word)
            if len(pieces) > 1:
                elements.extend(Element(frozenset({"l:" + p.lower()})) for p in pieces)
                continue
        keys = frozenset(_word_keys(a, attr, source) for a in alts)
        elements.append(Element(keys, optional=optional))
    if not elements or elements[0].gap or elements[0].optional:
        raise LexiconError(f"{source}: a phrase must start with a required word, not {phrase!r}")
    if elements[-1].gap:
        raise LexiconError(f"{source}: a phrase cannot end with a gap: {phrase!r}")
    return elements


class PatternIndex:
    """Compiled phrase patterns with a first-key index.

    ``add(pattern_id, elements)``, then ``find(tokens)`` returns ``(pattern_id, start, end, explicit)``
    for every longest match per pattern and start, where ``explicit`` is the set of token indices matched by
    the pattern's own words (not by fillers or gaps).
    """

    def __init__(self, *, fillers: Iterable[str] = (), max_fillers: int = 3) -> None:
        self.patterns: list[tuple[int, tuple[Element, ...]]] = []
        self.required: list[tuple[frozenset[str], ...]] = []
        self.index: dict[str, list[int]] = {}
        self.prefixes: set[str] = set()
        self.suffixes: set[str] = set()
        self.infixes: set[str] = set()
        self._infix_lengths: set[int] = set()
        self.fillers = {f.lower() for f in fillers}
        self.max_fillers = max_fillers
        self._key_cache: dict[tuple[str, str], tuple[frozenset[str], tuple[int, ...]]] = {}

    def __len__(self) -> int:
        return len(self.patterns)

    def add(self, pattern_id: int, elements: Sequence[Element]) -> None:
        slot = len(self.patterns)
        self.patterns.append((pattern_id, tuple(elements)))
        # the keys of every later required word: a pattern one of whose words is absent from the whole
        # sequence cannot match anywhere in it, so it is never tried there
        self.required.append(tuple(el.keys for el in elements[1:] if not (el.optional or el.gap)))
        self._key_cache.clear()
        for el in elements:
            for key in el.keys:
                kind, core = key[:2], key[2:]
                if kind == "p:":
                    self.prefixes.add(core)
                elif kind == "s:":
                    self.suffixes.add(core)
                elif kind == "c:":
                    self.infixes.add(core)
                    self._infix_lengths.add(len(core))
        for key in elements[0].keys:
            self.index.setdefault(key, []).append(slot)

    def token_keys(self, lower: str, lemma: str) -> frozenset[str]:
        """Every key one token carries: its form, its lemma, and each known stem/head/part it contains."""
        return self._token_entry(lower, lemma)[0]

    def _token_entry(self, lower: str, lemma: str) -> tuple[frozenset[str], tuple[int, ...]]:
        """A token's keys and the patterns that may start at it, in order. Cached per (form, lemma): words
        repeat, so the stem look-ups run once per word type."""
        cached = self._key_cache.get((lower, lemma))
        if cached is not None:
            return cached
        keys = self._compute_keys(lower, lemma)
        starts = tuple(sorted({slot for key in keys for slot in self.index.get(key, ())}))
        entry = (keys, starts)
        if len(self._key_cache) >= KEY_CACHE_SIZE:
            self._key_cache.clear()
        self._key_cache[(lower, lemma)] = entry
        return entry

    def _compute_keys(self, lower: str, lemma: str) -> frozenset[str]:
        keys = {"l:" + lower, "m:" + lemma}
        n = len(lower)
        if self.prefixes:
            for k in range(MIN_STEM, n + 1):
                if lower[:k] in self.prefixes:
                    keys.add("p:" + lower[:k])
        if self.suffixes:
            for k in range(0, n - MIN_STEM + 1):
                if lower[k:] in self.suffixes:
                    keys.add("s:" + lower[k:])
        if self.infixes:
            for length in self._infix_lengths:
                for k in range(0, n - length + 1):
                    part = lower[k : k + length]
                    if part in self.infixes:
                        keys.add("c:" + part)
        return frozenset(keys)

    def find(self, lowers: Sequence[str], lemmas: Sequence[str], is_punct: Sequence[bool]):
        """Match every pattern against one token sequence (a sentence or a whole doc)."""
        # this runs for every token of every document, twice (cues, context): the per-token work is done
        # in C loops (map, compress) and only the tokens where some pattern can start reach Python
        pairs = list(zip(lowers, lemmas))
        entries = list(map(self._key_cache.get, pairs))
        if None in entries:
            entry = self._token_entry
            entries = [e if e is not None else entry(*pair) for e, pair in zip(entries, pairs)]
        n = len(entries)
        candidates = list(compress(range(n), map(itemgetter(1), entries)))
        if not candidates:
            return []
        keys = list(map(itemgetter(0), entries))
        is_stop = list(is_punct)
        for i in compress(range(n), is_punct):
            is_stop[i] = lowers[i] != ","
        is_filler = list(map(self.fillers.__contains__, lowers)) if self.fillers else [False] * n
        present = set().union(*keys)
        required = self.required
        # per word type (its cached start tuple), the patterns whose later words all occur in this sequence:
        # a frequent word ("har") starts a hundred patterns, of which a handful can match here
        viable: dict[int, list[int]] = {}
        out = []
        for start in candidates:
            starts = entries[start][1]
            slots = viable.get(id(starts))
            if slots is None:
                slots = viable[id(starts)] = [
                    slot for slot in starts if all(not need.isdisjoint(present) for need in required[slot])]
            for slot in slots:
                pattern_id, elements = self.patterns[slot]
                best = self._match(elements, 0, start, keys, is_filler, is_stop, n, ())
                if best is not None:
                    end, explicit = best
                    out.append((pattern_id, start, end, frozenset(explicit)))
        return out

    def _match(self, elements, e, i, keys, is_filler, is_stop, n, explicit):
        """Longest match of ``elements[e:]`` from token ``i``; returns (end, explicit indices) or None."""
        if e == len(elements):
            return i, explicit
        el = elements[e]
        best = None
        if el.gap:
            j = i
            for length in range(0, el.max_len + 1):
                if length:
                    if j >= n or is_stop[j]:
                        break
                    j += 1
                got = self._match(elements, e + 1, j, keys, is_filler, is_stop, n, explicit)
                if got is not None and (best is None or got[0] > best[0]):
                    best = got
            return best
        # fillers may stand between two words of a phrase (never before the first)
        limit = self.max_fillers if e > 0 else 0
        j = i
        for skipped in range(0, limit + 1):
            if skipped:
                if j >= n or not is_filler[j]:
                    break
                j += 1
            if j < n and not el.keys.isdisjoint(keys[j]):
                got = self._match(elements, e + 1, j + 1, keys, is_filler, is_stop, n, explicit + (j,))
                if got is not None and (best is None or got[0] > best[0]):
                    best = got
        if el.optional:
            got = self._match(elements, e + 1, i, keys, is_filler, is_stop, n, explicit)
            if got is not None and (best is None or got[0] > best[0]):
                best = got
        return best
