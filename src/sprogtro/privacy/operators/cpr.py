"""CPR surrogates of valid shape that belong to no one: the day is raised by 60 (a "substitute CPR"
day, 61–91, which the CPR office never issues to a person), month, year and the century digit are
kept, the last three digits are drawn through the vault. The separator of the original is kept, and
one number gets one surrogate whatever its separator ("010190-1234" in a note, "0101901234" in a file
name)."""

from __future__ import annotations

import re

from sprogtro.privacy.operators.base import Operator, digits_from
from sprogtro.privacy.vault import KeyVault


class CprOperator(Operator):
    entity_type = "CPR"

    def operate(self, original: str, vault: KeyVault) -> str:
        digits = re.sub(r"\D", "", original)
        sep = original[6] if len(original) == 11 else ""
        if len(digits) != 10:
            return vault.tag("CPR", original)
        day = int(digits[:2])
        day = day + 60 if day <= 31 else day
        same = None
        if vault.lookup("CPR", original) is None:
            for variant in (digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"):
                other = vault.lookup("CPR", variant) if variant != original else None
                if other is not None:
                    same = re.sub(r"\D", "", other)
                    break

        def make(seed: int, attempt: int) -> str:
            if same is not None and attempt == 0:
                return f"{same[:6]}{sep}{same[6:]}"
            return f"{day:02d}{digits[2:6]}{sep}{digits[6]}{digits_from(seed + attempt, 3)}"

        return vault.surrogate("CPR", original, make)
