"""Phone surrogates that cannot be dialled: the grouping and any +45/0045 prefix are kept, the
subscriber number starts with 0, a first digit Denmark's numbering plan never gives a subscriber."""

from __future__ import annotations

import re

from sprogtro.privacy.operators.base import Operator, digits_from
from sprogtro.privacy.vault import KeyVault

_PREFIX = re.compile(r"^(?:\+|00)45[ .-]?")


class PhoneOperator(Operator):
    entity_type = "PHONE"

    def operate(self, original: str, vault: KeyVault) -> str:
        prefix_match = _PREFIX.match(original)
        prefix = prefix_match.group() if prefix_match else ""
        body = original[len(prefix) :]

        def make(seed: int, attempt: int) -> str:
            fresh = iter("0" + digits_from(seed + attempt, 7))
            return prefix + re.sub(r"\d", lambda _m: next(fresh, "0"), body)

        return vault.surrogate("PHONE", original, make)
