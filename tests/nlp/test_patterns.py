"""The phrase syntax and the match engine (no spaCy pipeline needed)."""

from __future__ import annotations

import pytest

from sprogtro.nlp.lexicon import LexiconError
from sprogtro.nlp.patterns import PatternIndex, compile_phrase


def _find(pattern: str, text: str, fillers=("jo", "rigtig", "ikke"), lemmas=None):
    index = PatternIndex(fillers=fillers)
    index.add(0, compile_phrase(pattern))
    words = text.split()
    lowers = [w.lower() for w in words]
    return [(s, e) for _, s, e, _ in index.find(lowers, lemmas or lowers, [w in ",.;" for w in words])]


@pytest.mark.parametrize("pattern,text,expected", [
    ("har svært ved", "hun har svært ved det", [(1, 4)]),
    ("har svært ved", "hun har jo rigtig svært ved det", [(1, 6)]),  # fillers between words
    ("har svært ved", "hun har meget svært ved det", []),  # "meget" is not a filler here
    ("har (meget) svært ved", "hun har meget svært ved det", [(1, 5)]),  # optional word
    ("har|havde svært", "hun havde svært", [(1, 3)]),
    ("smerte*", "smerterne er værre", [(0, 1)]),  # stem
    ("*smerter", "hun har rygsmerter", [(2, 3)]),  # compound head
    ("*angst*", "socialangsten fylder", [(0, 1)]),  # part
    ("kommer ... job", "han kommer nok aldrig i job", [(1, 6)]),  # gap of up to three tokens
    ("kommer ... job", "han kommer slet ikke nogen sinde i job", []),
    ("sikker ...5 job", "jeg er sikker på , at han får job", [(2, 9)]),  # commas may fall in a gap
    ("sikker ... job", "sikker . så job", []),  # other punctuation may not
    ("ved ikke (,) om", "jeg ved ikke , om", [(1, 5)]),
])
def test_patterns_match_table(pattern, text, expected):
    assert _find(pattern, text) == expected


def test_patterns_lemma_element():
    assert _find("~have svært", "hun havde svært", lemmas=["hun", "have", "svær"]) == [(1, 3)]


def test_patterns_longest_match_per_start():
    index = PatternIndex()
    index.add(0, compile_phrase("tæt på"))
    index.add(1, compile_phrase("tæt på arbejdsmarkedet"))
    words = "hun er tæt på arbejdsmarkedet".split()
    found = {(pid, s, e) for pid, s, e, _ in index.find(words, words, [False] * len(words))}
    assert found == {(0, 2, 4), (1, 2, 5)}


def test_patterns_explicit_tokens_exclude_fillers():
    index = PatternIndex(fillers=["ikke"])
    index.add(0, compile_phrase("har svært ved"))
    words = "har ikke svært ved".split()
    [(_, start, end, explicit)] = index.find(words, words, [False] * 4)
    assert (start, end) == (0, 4) and explicit == {0, 2, 3}


@pytest.mark.parametrize("bad", ["(ikke) svært", "... svært", "svært ...", "ab*", "*ab"])
def test_patterns_reject_malformed(bad):
    with pytest.raises(LexiconError):
        compile_phrase(bad)


def test_patterns_word_cache_is_bounded_and_matching_unchanged(monkeypatch):
    """The per-word cache is cleared when full (memory stays flat on an ever-growing vocabulary) and
    matches stay the same."""
    from sprogtro.nlp import patterns

    index = patterns.PatternIndex()
    index.add(0, patterns.compile_phrase("har svært ved"))
    words = [f"ord{i}" for i in range(40)]
    lowers = words + ["har", "svært", "ved"] + words
    expected = index.find(lowers, lowers, [False] * len(lowers))
    monkeypatch.setattr(patterns, "KEY_CACHE_SIZE", 10)
    small = patterns.PatternIndex()
    small.add(0, patterns.compile_phrase("har svært ved"))
    assert small.find(lowers, lowers, [False] * len(lowers)) == expected == [(0, 40, 43, frozenset({40, 41, 42}))]
    assert len(small._key_cache) <= 10


def test_patterns_lower_cased_string_cache_is_bounded():
    import spacy

    from sprogtro.nlp.rule_matcher import _LowerCased

    nlp = spacy.blank("da")
    doc = nlp("Mette Og Lars Og Hanne Og Pia")
    cache = _LowerCased(limit=3)
    cache.strings = doc.vocab.strings
    assert [cache[t.orth] for t in doc] == [t.lower_ for t in doc]
    assert len(cache) <= 3
