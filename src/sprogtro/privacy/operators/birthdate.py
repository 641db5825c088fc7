"""Birth-date surrogates: the year is kept (age matters to the analysis), day and month are drawn
through the vault, and the written form ("3. marts 1987", "17.09.1995", "1995-09-17") is kept."""

from __future__ import annotations

import re

from sprogtro.privacy.operators.base import Operator
from sprogtro.privacy.vault import KeyVault

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
_MONTH_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)


class BirthDateOperator(Operator):
    entity_type = "BIRTHDATE"

    def operate(self, original: str, vault: KeyVault) -> str:
        numbers = list(re.finditer(r"\d+", original))
        iso = bool(re.match(r"\d{4}-", original))

        def make(seed: int, attempt: int) -> str:
            day, month = (seed + attempt) % 28 + 1, (seed // 28 + attempt) % 12 + 1
            if _MONTH_WORD.search(original):
                return _MONTH_WORD.sub(MONTHS[month - 1], _replace_nth(original, numbers, 0, day, pad=False), count=1)
            order = (2, 1) if iso else (0, 1)
            text = _replace_nth(original, numbers, order[1], month)
            return _replace_nth(text, list(re.finditer(r"\d+", text)), order[0], day)

        return vault.surrogate("BIRTHDATE", original, make)


def _replace_nth(text: str, numbers: list[re.Match], n: int, value: int, *, pad: bool = True) -> str:
    if n >= len(numbers):
        return text
    m = numbers[n]
    width = len(m.group())
    return text[: m.start()] + str(value).zfill(2 if pad and width == 2 else 1) + text[m.end() :]
