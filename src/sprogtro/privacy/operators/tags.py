"""``--style tags``: every identifier becomes a numbered tag ("[PERSON_3]", "[CPR_1]"); the same
original (for persons: the same person) always gets the same number."""

from __future__ import annotations

from sprogtro.privacy.operators.base import Operator
from sprogtro.privacy.vault import KeyVault


class TagOperator(Operator):
    def __init__(self, entity_type: str) -> None:
        self.tag_type = entity_type

    def operate(self, original: str, vault: KeyVault) -> str:
        return vault.tag(self.tag_type, original)
