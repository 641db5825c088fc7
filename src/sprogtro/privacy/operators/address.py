"""Address surrogates that cannot be real: an invented street and town (``data/fictional_places.txt``)
and a postcode in 0100–0499, a range Danish postcodes do not use. House-number letter and floor/side
keep their shape ("Ravnebakken 14B, 2. tv., 0312 Egeslev"); "c/o Name" becomes "c/o" + a surname."""

from __future__ import annotations

import re

from sprogtro.privacy.lexicon import surrogate_pools
from sprogtro.privacy.operators.base import Operator, pick
from sprogtro.privacy.vault import KeyVault

_POSTCODE = re.compile(r"\b[1-9]\d{3}\s[^\d,]+$")
_STREET_NUMBER = re.compile(r"^(?P<street>[^\d,]+?)\s(?P<number>\d{1,4})(?P<letter>\s?[A-Za-z](?![\w]))?(?P<rest>.*)$", re.S)


class AddressOperator(Operator):
    entity_type = "ADDRESS"

    def operate(self, original: str, vault: KeyVault) -> str:
        return vault.surrogate("ADDRESS", original, lambda seed, a: self._make(original, seed + a, a))

    def _make(self, original: str, seed: int, attempt: int) -> str:
        pools = surrogate_pools()
        if original.lower().startswith("c/o"):
            return "c/o " + pick(pools.surnames, seed, attempt)
        postcode = _POSTCODE.search(original)
        head = original[: postcode.start()] if postcode else original
        tail = f"0{100 + seed % 400:03d} {pick(pools.towns, seed // 400, 0)}" if postcode else ""
        m = _STREET_NUMBER.match(head)
        if not m:
            return tail or pick(pools.streets, seed, attempt)
        number = 1 + (seed // 7) % 98 + attempt * 100
        street = f"{pick(pools.streets, seed, 0)} {number}{m.group('letter') or ''}{m.group('rest')}"
        return street + tail
