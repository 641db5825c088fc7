"""E-mail surrogates on example.org, a domain reserved for documentation (RFC 2606): they can never
reach anyone. The local part is a neutral "borger" plus a number."""

from __future__ import annotations

from sprogtro.privacy.operators.base import Operator
from sprogtro.privacy.vault import KeyVault


class EmailOperator(Operator):
    entity_type = "EMAIL"

    def operate(self, original: str, vault: KeyVault) -> str:
        return vault.surrogate("EMAIL", original.lower(), lambda seed, a: f"borger{seed % 100000 + a:05d}@example.org")
