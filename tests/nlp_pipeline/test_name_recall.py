"""The fictional out-of-gazetteer name probe behind the model card's pseudonymization figures."""

from __future__ import annotations

from sprogtro.nlp.name_recall import _caught, _kept_words, probe_sentences, table


def test_probe_sentences_plant_each_name_once_per_variant():
    items = probe_sentences(lambda name: name == "Aputsiaq")
    assert not any("aputsiaq" in i["text"].lower() for i in items)
    lower = [i for i in items if i["variant"] == "lower"]
    assert all(i["text"] == i["text"].lower() and i["name"] in i["text"] for i in lower)
    assert len(lower) == len(items) / 2


def test_caught_and_kept_words():
    assert _caught("har du talt med [PERSON_1] om det?", "aputsiaq") and not _caught("Aputsiaq kom", "aputsiaq")
    assert not _caught("Kunuk Brendstrup kom", "Kunuk Vindum")
    assert _kept_words("jeg var hos [PERSON_1] i går", ["jeg", "var", "hos", "i", "går", "og"]) == 5


def test_table_formats_conditions():
    v = {"recall": 0.5, "ordinary_words_removed": 0.01, "sentences": 2}
    text = table({"names": 2, "sentences": 4, "conditions": {"rules only": {"cased": v, "lower": v}}})
    assert "| rules only | 50.0 % | 50.0 % | 1.0 % | 1.0 % |" in text
