"""Operators turn one detected original into its replacement. They keep no state: every choice goes
through the :class:`~sprogtro.privacy.vault.KeyVault` passed in, which makes it consistent across the
corpus (and reversible with the key). ``operate(original, vault)`` returns the replacement text."""

from __future__ import annotations

from typing import ClassVar

from sprogtro.privacy.vault import KeyVault


class Operator:
    entity_type: ClassVar[str] = ""

    def operate(self, original: str, vault: KeyVault) -> str:  # pragma: no cover - interface
        raise NotImplementedError


def pick(pool: tuple[str, ...], seed: int, attempt: int) -> str:
    """Choose from ``pool`` by ``seed``; once the pool is exhausted add a number ("Hansen2")."""
    if not pool:
        raise ValueError("empty surrogate pool")
    name = pool[seed % len(pool)]
    return name if attempt < len(pool) else f"{name}{attempt // len(pool) + 1}"


def digits_from(seed: int, count: int) -> str:
    """``count`` pseudo-random digits from ``seed``."""
    return str(seed % 10**count).zfill(count)


def match_case(surrogate: str, original: str) -> str:
    """Lower-case or upper-case the surrogate like the original ("mette" → "hanne")."""
    if original.islower():
        return surrogate.lower()
    if original.isupper() and len(original) > 1:
        return surrogate.upper()
    return surrogate
