"""The word lists the recognizers consult, loaded once and cached.

* Name gazetteers (``data/first_names.csv`` with gender, ``data/surnames.csv``), built by
  ``scripts/build_gazetteers.py`` from DaCy's names table and Faker (see ``data/NOTICE.md``).
* The *ordinary-word* lexicon: every lower-case word form in spaCy's Danish lookup lemma table
  (spacy-lookups-data) and simplemma's Danish dictionary (~775,000 forms). A capitalised token inside a
  sentence that is not an ordinary word (nor a compound of two) is probably a proper noun.
* Name-words: gazetteer names whose lower-case form is an ordinary word (Bo, Storm, Rask, Lund…) and
  not listed in ``data/rare_word_names.txt``. They need more evidence than other names, and their
  lower-case form is never replaced without a strong cue.
* Places, capitalised non-names, the public-body allow-list and the surrogate lists.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources



def data_text(name: str) -> str:
    """The text of a bundled data file (``sprogtro/privacy/data/<name>``)."""
    return resources.files("sprogtro.privacy").joinpath("data", name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a bundled data file."""
    return [ln.strip() for ln in data_text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def data_sections(name: str) -> dict[str, list[str]]:
    """Lines of a data file grouped under ``[section]`` headers."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in data_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            sections.setdefault(current, []).append(line)
    return sections


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Lower-case Danish word forms (spaCy lookup lemmas ∪ simplemma). Empty when neither is installed."""
    words: set[str] = set()
    try:
        import spacy_lookups_data
        import srsly

        path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "da_lemma_lookup.json.gz")
        table = srsly.read_gzip_json(path)
        words.update(k for k in table if k.islower())
        words.update(v for v in table.values() if isinstance(v, str) and v.islower())
    except (ImportError, OSError, ValueError):
        pass
    try:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        for key, value in DefaultDictionaryFactory().get_dictionary("da").items():
            if key.islower():
                words.add(key)
            value = value.decode("utf-8") if isinstance(value, bytes) else value
            if value.islower():
                words.add(value)
    except (ImportError, OSError, ValueError, KeyError):
        pass
    return frozenset(words)


@dataclass
class NameLexicon:
    """Gazetteers and word lists, with the questions the recognizers ask of them."""

    first_names: dict[str, str]  # name → female | male | both
    surnames: frozenset[str]
    rare_word_names: frozenset[str]
    places: frozenset[str]
    not_names: frozenset[str]
    words: frozenset[str] = field(repr=False)

    def is_first(self, token: str) -> bool:
        return token in self.first_names

    def is_surname(self, token: str) -> bool:
        return token in self.surnames

    def is_name(self, token: str) -> bool:
        return token in self.first_names or token in self.surnames

    def is_word(self, lower: str) -> bool:
        """True when ``lower`` is an ordinary Danish word form (or a compound of two such forms)."""
        if lower in self.words:
            return True
        return _compound(lower, self.words)

    def is_name_word(self, token: str) -> bool:
        """A gazetteer name that is also an ordinary word (Bo, Storm, Rask), unless listed as rare."""
        return self.is_name(token) and token not in self.rare_word_names and token.lower() in self.words

    def gender(self, token: str) -> str:
        return self.first_names.get(token, "both")


_NAME_SUFFIX = re.compile(r"(sen|søn|son|gaard|gård|strup|rup|borg|holm|lund|berg|bjerg|by|toft|kjær|kær|høj|dahl|bæk|feldt)$")


def _compound(lower: str, words: frozenset[str]) -> bool:
    """Danish compounds ("ressourceforløb"): a known head of ≥4 letters after a known modifier of ≥3
    (optionally with a linking -s- or -e-). Name-like endings (-sen, -gaard…) are never split."""
    if len(lower) < 8 or not lower.isalpha() or _NAME_SUFFIX.search(lower):
        return False
    for cut in range(3, len(lower) - 3):
        head = lower[cut:]
        if head in words:
            mod = lower[:cut]
            if mod in words or (mod[-1] in "se" and mod[:-1] in words and len(mod) > 3):
                return True
    return False


@lru_cache(maxsize=1)
def name_lexicon() -> NameLexicon:
    """The shared :class:`NameLexicon` (loaded on first use, about two seconds)."""
    first: dict[str, str] = {}
    for row in csv.DictReader(data_text("first_names.csv").splitlines()):
        first[row["name"]] = row["gender"]
    surnames = frozenset(row["name"] for row in csv.DictReader(data_text("surnames.csv").splitlines()))
    return NameLexicon(
        first_names=first,
        surnames=surnames,
        rare_word_names=frozenset(data_lines("rare_word_names.txt")),
        places=frozenset(data_lines("places.txt")),
        not_names=frozenset(data_lines("not_names.txt")) | {c for c in data_lines("chains.txt") if " " not in c},
        words=ordinary_words(),
    )


@dataclass(frozen=True)
class SurrogatePools:
    """Names and places surrogates are drawn from: common Danish names that are no ordinary words."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[str, ...]
    companies: tuple[str, ...]


SURROGATE_BEARERS = (150, 6000)  # surrogate names: borne by this many people in Denmark (DaCy counts)


@lru_cache(maxsize=1)
def surrogate_pools() -> SurrogatePools:
    lex = name_lexicon()
    first_rows = list(csv.DictReader(data_text("first_names.csv").splitlines()))
    # "Peters", "Carstens": read as the genitive of a common first name ("Peters bil"), such a surrogate
    # looks like an original that survived wherever that name occurs.
    common = {row["name"] for row in first_rows if int(row["count"] or 0) > SURROGATE_BEARERS[1]}

    def usable(name: str) -> bool:
        return (len(name) >= 3 and name.isalpha() and not lex.is_name_word(name) and not lex.is_word(name.lower())
                and not (name.endswith("s") and name[:-1] in common))

    def real_but_rare(row: dict) -> bool:
        # Real Danish names, but not the most common ones: a surrogate then rarely equals a real name
        # elsewhere in the same text (which would look like a name that survived).
        return row["origin"] == "danish" and SURROGATE_BEARERS[0] <= int(row["count"] or 0) <= SURROGATE_BEARERS[1]

    female, male = [], []
    for row in first_rows:
        if real_but_rare(row) and usable(row["name"]):
            (female if row["gender"] == "female" else male if row["gender"] == "male" else []).append(row["name"])
    surnames = [row["name"] for row in csv.DictReader(data_text("surnames.csv").splitlines())
                if real_but_rare(row) and usable(row["name"])]
    places = data_sections("fictional_places.txt")
    return SurrogatePools(tuple(female), tuple(male), tuple(surnames), tuple(places["streets"]),
                          tuple(places["towns"]), tuple(data_lines("org_surrogates.txt")))
