"""E-mail addresses."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skriv til mette.k@gmail.com.", "mette.k@gmail.com"),
        ("<lars.bonde@jobcenter-esbjerg.example.dk>", "lars.bonde@jobcenter-esbjerg.example.dk"),
        ("mail: ahmed.hussein77@hotmail.com", "ahmed.hussein77@hotmail.com"),
        ("Kontakt: søren_ø+job@post.tele.dk", "søren_ø+job@post.tele.dk"),
    ],
)
def test_email_recognizer_hits(found, text, expected):
    assert found(text, "EMAIL") == [expected]


@pytest.mark.parametrize("text", ["Mødet @ kl. 10", "se www.borger.dk", "pris 10 @ 5 kr", "a@b"])
def test_email_recognizer_misses(found, text):
    assert found(text, "EMAIL") == []
