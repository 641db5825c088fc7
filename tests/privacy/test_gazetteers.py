"""The bundled gazetteers: large enough, with gender, documented, and loadable from the package."""

from __future__ import annotations

import csv

from sprogtro.privacy.lexicon import data_text, name_lexicon, surrogate_pools


def test_gazetteers_have_enough_names_with_gender():
    first = list(csv.DictReader(data_text("first_names.csv").splitlines()))
    surnames = list(csv.DictReader(data_text("surnames.csv").splitlines()))
    assert len(first) >= 1000 and len(surnames) >= 1000
    assert {r["gender"] for r in first} <= {"female", "male", "both"}
    assert sum(r["origin"] == "immigrant" for r in first) >= 1000
    for name in ("Mette", "Jens", "Fatima", "Mohammed", "Ahmed", "Zeynep"):
        assert name in name_lexicon().first_names
    assert name_lexicon().gender("Mette") == "female" and name_lexicon().gender("Mohammed") == "male"


def test_gazetteers_notice_records_counts_and_licences():
    notice = data_text("NOTICE.md")
    first = len(data_text("first_names.csv").splitlines()) - 1
    surnames = len(data_text("surnames.csv").splitlines()) - 1
    assert f"{first:,}" in notice and f"{surnames:,}" in notice
    assert "Apache" in notice and "MIT" in notice


def test_gazetteers_name_words_are_flagged():
    lex = name_lexicon()
    for word in ("Rask", "Lund", "Holm", "Bjerg", "Dam", "Skov", "Bo", "Storm"):
        assert lex.is_name_word(word), word
    for name in ("Mette", "Jens", "Søren", "Kirkegaard"):
        assert not lex.is_name_word(name), name


def test_gazetteers_surrogate_pools_avoid_words_and_are_gendered():
    pools = surrogate_pools()
    lex = name_lexicon()
    assert len(pools.female) > 300 and len(pools.male) > 300 and len(pools.surnames) > 500
    assert not any(lex.is_word(n.lower()) for n in pools.female + pools.male + pools.surnames)
    assert all(lex.gender(n) == "female" for n in pools.female)


def test_gazetteers_surrogates_are_no_genitive_of_a_common_first_name():
    # "Peters", "Carstens" read as "Peter's", "Carsten's": a surrogate that looks like a surviving name.
    pools = surrogate_pools()
    names = pools.female + pools.male + pools.surnames
    assert "Peters" not in names and "Carstens" not in names
    common = {r["name"] for r in csv.DictReader(data_text("first_names.csv").splitlines()) if int(r["count"] or 0) > 6000}
    assert not [n for n in names if n.endswith("s") and n[:-1] in common]
