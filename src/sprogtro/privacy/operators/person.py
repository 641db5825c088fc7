"""Realistic person names: each name word gets a gender-matched Danish first name or a Danish
surname, chosen through the vault, so "Mette", "Mettes" and "Mette Kirkegaard" become "Hanne",
"Hannes" and "Hanne Vestergaard" everywhere. Particles ("bin", "van") stay, initials map to letters."""

from __future__ import annotations

import re

from sprogtro.privacy.lexicon import name_lexicon, surrogate_pools
from sprogtro.privacy.names import PARTICLES
from sprogtro.privacy.operators.base import Operator, match_case, pick
from sprogtro.privacy.vault import KeyVault

_PART = re.compile(r"[^\W\d_]+", re.UNICODE)
LETTERS = "ABCDEFGHIJKLMNOPRSTUVWY"


class PersonNameOperator(Operator):
    entity_type = "PERSON"

    def operate(self, original: str, vault: KeyVault) -> str:
        words = list(_PART.finditer(original))
        out, pos = [], 0
        role = ""
        for m in words:
            word = m.group()
            gap = original[pos : m.start()]
            out.append(gap)
            pos = m.end()
            if word.lower() in PARTICLES and m.start() > 0:
                out.append(word)
                continue
            if gap != "-":  # "Anne-Marie": both parts keep the role of the first
                role = "surname" if role or self._is_surname_only(word, len(words)) else "first"
            out.append(self.word(word, role, vault))
        out.append(original[pos:])
        return "".join(out)

    @staticmethod
    def _is_surname_only(word: str, n_words: int) -> bool:
        lex = name_lexicon()
        title = word.capitalize() if word.islower() or word.isupper() else word
        return n_words == 1 and lex.is_surname(title) and not lex.is_first(title)

    def word(self, word: str, role: str, vault: KeyVault) -> str:
        """The surrogate of one name word (the same whatever its role once chosen)."""
        title = word.capitalize() if word.islower() or word.isupper() else word
        if len(word) == 1:
            letter = vault.surrogate("PERSON", title, lambda seed, a: LETTERS[(seed + a) % len(LETTERS)] + ("" if a < len(LETTERS) else str(a)))
            return match_case(letter, word)
        pools = surrogate_pools()
        if role == "surname":
            pool = pools.surnames
        else:
            lex = name_lexicon()
            gender = lex.gender(title) if lex.is_first(title) else ("female" if title.endswith("a") else "both")
            pool = pools.female if gender == "female" else pools.male if gender == "male" else pools.female + pools.male
        return match_case(vault.surrogate("PERSON", title, lambda seed, a: pick(pool, seed + a, a)), word)
