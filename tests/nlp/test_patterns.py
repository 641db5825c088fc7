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
