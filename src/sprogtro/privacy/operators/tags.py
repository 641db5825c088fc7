"""``--style tags``: every identifier becomes a numbered tag ("[PERSON_3]", "[CPR_1]"); the same
original (for persons: the same person) always gets the same number."""

from __future__ import annotations

import re

from sprogtro.privacy.operators.base import Operator
from sprogtro.privacy.vault import KeyVault


class TagOperator(Operator):
    def __init__(self, entity_type: str) -> None:
        self.tag_type = entity_type

    def operate(self, original: str, vault: KeyVault) -> str:
        if self.tag_type == "CPR" and vault.lookup("tag:CPR", original) is None:
            # one number, one tag, whatever its separator ("010190-1234" in a note, "0101901234" in a file name)
            digits = re.sub(r"\D", "", original)
            if len(digits) == 10:
                for variant in (digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"):
                    tag = vault.lookup("tag:CPR", variant) if variant != original else None
                    if tag is not None:
                        return tag
        return vault.tag(self.tag_type, original)
