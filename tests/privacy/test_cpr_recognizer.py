"""CPR: shapes, the century rule, mod-11 as evidence only, and what is not a CPR."""

from __future__ import annotations

import re

import pytest

from sprogtro.privacy.recognizers.cpr import CprRecognizer, birth_date, century, mod11_ok
from sprogtro.privacy.textview import TextView


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CPR-nr. 070691-1238", "070691-1238"),
        ("cpr 070691 1238", "070691 1238"),
        ("Personnummer: 0706911238", "0706911238"),
        ("Borger: Ib Ås, 120385-1983, bor i Aarhus", "120385-1983"),  # fails mod-11: kept anyway
        ("født 010203-4445 (ny cpr)", "010203-4445"),
        ("cpr: 310299-9999", "310299-9999"),
    ],
)
def test_cpr_recognizer_hits(found, text, expected):
    assert found(text, "CPR") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Mødet er 12.03.2024 kl. 10.30.",
        "J.nr. 2023-1234-56 og sagsnr. 120385-1983",
        "Beløbet er kr. 12.345 pr. måned",
        "Dato 17-09-1995",
        "Kontonr. 1234567890",
        "Periode 2019-2021 og 2023-2024",
        "Tallet 320385-1234 er ikke en dato",  # day 32
        "telefon 12345678901",
    ],
)
def test_cpr_recognizer_misses(found, text):
    assert found(text, "CPR") == []


def test_cpr_century_rule():
    assert century(87, 2) == 1987
    assert century(5, 4) == 2005 and century(87, 4) == 1987
    assert century(5, 5) == 2005 and century(87, 5) == 1887
    assert century(36, 9) == 2036 and century(37, 9) == 1937
    assert birth_date("2902004000") is not None  # 29 Feb 2000 (7th digit 4)
    assert birth_date("2902001000") is None  # 29 Feb 1900 is no date


def test_cpr_mod11_raises_confidence_but_never_rejects():
    rec = CprRecognizer()
    good = "0707614285"  # passes mod-11
    assert mod11_ok(good)
    bad = "0707614286"
    assert not mod11_ok(bad)
    s_good = rec.analyze(TextView(f"nr {good[:6]}-{good[6:]}"))[0].score
    s_bad = rec.analyze(TextView(f"nr {bad[:6]}-{bad[6:]}"))[0].score
    assert s_good > s_bad > 0


def test_cpr_context_word_raises_score_and_explains():
    rec = CprRecognizer()
    plain = rec.analyze(TextView("ref 070691-1238"))[0]
    ctx = rec.analyze(TextView("CPR-nr. 070691-1238"))[0]
    assert ctx.score > plain.score
    assert "context" in ctx.explanation and ctx.recognizer == "cpr" and ctx.pattern == "cpr_dash"
    assert not re.search(r"\d{6}", ctx.explanation)  # explanations never repeat the number
