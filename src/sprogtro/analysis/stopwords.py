"""Stop words for topic words and keyness: a Danish list kept as data, plus the surrogate names of the
privacy stage (in pseudonymized text a name is a stand-in, never a topic)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def danish_stop_words() -> tuple[str, ...]:
    """The bundled Danish stop-word list (``analysis/data/stopwords_da.txt``)."""
    text = resources.files("sprogtro.analysis").joinpath("data", "stopwords_da.txt").read_text("utf-8")
    return tuple(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def surrogate_words() -> frozenset[str]:
    """Lower-cased names the privacy stage draws its realistic surrogates from (first names, surnames,
    street, town and company name parts that are no ordinary Danish words). In pseudonymized text they
    are stand-ins for people and employers; as topic or key words they say nothing (and look like
    identifiers). Empty when the privacy stage's lists cannot be read."""
    try:
        from sprogtro.privacy.lexicon import name_lexicon, surrogate_pools

        pools, lexicon = surrogate_pools(), name_lexicon()
    except Exception:  # an optional refinement: never fail topics over it
        return frozenset()
    words = {n.lower() for n in (*pools.female, *pools.male, *pools.surnames)}
    for name in (*pools.streets, *pools.towns, *pools.companies):
        words |= {w.lower() for w in name.split() if not lexicon.is_word(w.lower())}
    return frozenset(words)


def analysis_stop_words() -> frozenset[str]:
    """The Danish stop words and the surrogate names together (what topics and keyness leave out)."""
    return frozenset(danish_stop_words()) | surrogate_words()
