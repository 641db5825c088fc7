"""Organisation surrogates: an invented company name (``data/org_surrogates.txt``) that keeps the
legal form of the original ("ApS", "A/S") and, for a shop with a location, an invented town."""

from __future__ import annotations

import re

from sprogtro.privacy.lexicon import surrogate_pools
from sprogtro.privacy.operators.base import Operator, pick
from sprogtro.privacy.vault import KeyVault

_LEGAL = re.compile(r"\s(ApS|A/S|I/S|IVS|K/S|P/S|A\.m\.b\.A\.?|AMBA|a\.m\.b\.a\.?|Holding)$")
_LOCATION = re.compile(r"\s(i|på)\s\S+$")


class OrganisationOperator(Operator):
    entity_type = "ORG"

    def operate(self, original: str, vault: KeyVault) -> str:
        pools = surrogate_pools()
        legal = _LEGAL.search(original)
        place = _LOCATION.search(original)

        def make(seed: int, attempt: int) -> str:
            name = pick(pools.companies, seed, attempt)
            if legal:
                name += f" {legal.group(1)}"
            if place:
                name += f" {place.group(1)} {pick(pools.towns, seed // 97, 0)}"
            return name

        return vault.surrogate("ORG", original, make)
