"""Operators: surrogates of the right shape that cannot be real, consistent through the vault."""

from __future__ import annotations

import re

import pytest

from sprogtro.privacy.lexicon import name_lexicon
from sprogtro.privacy.operators import operators_for
from sprogtro.privacy.recognizers.cpr import birth_date
from sprogtro.privacy.vault import KeyVault


@pytest.fixture
def ops():
    return operators_for("realistic"), KeyVault.ephemeral()


def test_operator_cpr_substitute_day_plus_60(ops):
    operators, vault = ops
    out = operators["CPR"].operate("070691-1238", vault)
    assert re.fullmatch(r"670691-1\d{3}", out)
    assert birth_date(out.replace("-", "")) is None  # day 67: no one's birthday
    assert operators["CPR"].operate("0706911238", vault)[:6] == "670691"
    assert operators["CPR"].operate("070691-1238", vault) == out


def test_operator_phone_keeps_format_and_is_unassigned(ops):
    operators, vault = ops
    out = operators["PHONE"].operate("+45 23 45 67 81", vault)
    assert re.fullmatch(r"\+45 0\d \d\d \d\d \d\d", out)
    assert re.fullmatch(r"0\d{3} \d{4}", operators["PHONE"].operate("2345 6781", vault))


def test_operator_email_on_example_org(ops):
    operators, vault = ops
    assert operators["EMAIL"].operate("Mette.K@gmail.com", vault).endswith("@example.org")
    assert operators["EMAIL"].operate("mette.k@gmail.com", vault) == operators["EMAIL"].operate("Mette.K@gmail.com", vault)


def test_operator_address_uses_unused_postcodes(ops):
    operators, vault = ops
    out = operators["ADDRESS"].operate("Vibevej 17B, 2. th., 2400 København NV", vault)
    m = re.fullmatch(r"(\D+) (\d+)B, 2\. th\., (0[1-4]\d\d) (.+)", out)
    assert m and 100 <= int(m.group(3)) <= 499
    assert operators["ADDRESS"].operate("c/o Fatemeh Karimi", vault).startswith("c/o ")


def test_operator_birthdate_keeps_year_and_form(ops):
    operators, vault = ops
    assert re.fullmatch(r"\d{1,2}\. [a-z]+ 1987", operators["BIRTHDATE"].operate("3. marts 1987", vault))
    assert re.fullmatch(r"\d\d\.\d\d\.1995", operators["BIRTHDATE"].operate("17.09.1995", vault))
    assert re.fullmatch(r"1995-\d\d-\d\d", operators["BIRTHDATE"].operate("1995-09-17", vault))


def test_operator_organisation_keeps_legal_form(ops):
    operators, vault = ops
    assert operators["ORG"].operate("Hansen & Søn ApS", vault).endswith(" ApS")
    assert " i " in operators["ORG"].operate("Netto i Brabrand", vault)


def test_operator_person_gender_matched_and_linked(ops):
    operators, vault = ops
    lex = name_lexicon()
    person = operators["PERSON"]
    full = person.operate("Mette Kirkegaard", vault)
    first, last = full.split()
    assert lex.gender(first) == "female" and first != "Mette"
    assert person.operate("Mette", vault) == first
    assert person.operate("Kirkegaard", vault) == last
    assert lex.gender(person.operate("Mohammad", vault)) == "male"
    assert person.operate("mette", vault) == first.lower()
    assert "bin" in person.operate("Ahmed bin Ali", vault).split()
    assert "-" in person.operate("Anne-Marie", vault)


def test_operator_tags_style():
    operators, vault = operators_for("tags"), KeyVault.ephemeral()
    assert operators["PERSON"].operate("Mette Kirkegaard", vault) == "[PERSON_1]"
    assert operators["CPR"].operate("070691-1238", vault) == "[CPR_1]"
    with pytest.raises(ValueError):
        operators_for("fancy")
