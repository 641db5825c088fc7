"""Operators per entity type and style: ``realistic`` surrogates (default) or numbered ``tags``."""

from __future__ import annotations

from sprogtro.privacy.operators.address import AddressOperator
from sprogtro.privacy.operators.base import Operator
from sprogtro.privacy.operators.birthdate import BirthDateOperator
from sprogtro.privacy.operators.cpr import CprOperator
from sprogtro.privacy.operators.email import EmailOperator
from sprogtro.privacy.operators.organisation import OrganisationOperator
from sprogtro.privacy.operators.person import PersonNameOperator
from sprogtro.privacy.operators.phone import PhoneOperator
from sprogtro.privacy.operators.tags import TagOperator

STYLES = ("realistic", "tags")
_REALISTIC = (PersonNameOperator, CprOperator, PhoneOperator, EmailOperator, AddressOperator, BirthDateOperator,
              OrganisationOperator)


def operators_for(style: str = "realistic") -> dict[str, Operator]:
    """entity type → operator for ``style`` ("realistic" or "tags")."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    if style == "tags":
        return {cls.entity_type: TagOperator(cls.entity_type) for cls in _REALISTIC}
    return {cls.entity_type: cls() for cls in _REALISTIC}


__all__ = ["STYLES", "Operator", "TagOperator", "operators_for"]
