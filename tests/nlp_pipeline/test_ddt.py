"""Conversion of the DDT/UD/UNER formats (on the fictional sample)."""

from __future__ import annotations

import pytest

from sprogtro.nlp.ddt import case_variants, guess_spaces, iob_spans, load_ddt, read_iob2, to_doc


def test_load_ddt_holds_out_ud_dev_and_test(ddt_sample):
    data = load_ddt(ddt_sample)
    train_texts = {" ".join(s.words) for s in data.train}
    assert "Hun arbejder hos Brødrene Holst i Vejle ." not in train_texts  # UD dev
    assert "Ali har været til samtale på jobcentret ." not in train_texts  # UD test
    assert [s.sent_id for s in data.dev] == ["dev-0"] and [s.sent_id for s in data.test] == ["test-0"]
    assert data.stats["excluded_ud_dev_test"] == 2


def test_load_ddt_maps_parole_and_attaches_ner(ddt_sample):
    data = load_ddt(ddt_sample)
    first = next(s for s in data.train if s.words[0] == "Karina")
    assert first.pos == ["PROPN", "PROPN", "VERB", "ADP", "PROPN", "PUNCT"]
    assert first.ner == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert first.lemmas[2] == "bo"
    assert data.test[0].ner[0] == "B-PER" and data.test[0].pos[1] == "AUX"


def test_read_iob2_drops_misc(tmp_path):
    path = tmp_path / "x.iob2"
    path.write_text("# sent_id = a\n1\tTour\tB-MISC\tB-MISC#O\ts\n2\tKarina\tB-PER\tB-PER#O\ts\n\n", encoding="utf-8")
    assert read_iob2(path)["a"].ner == ["O", "B-PER"]


@pytest.mark.parametrize(
    "tags, spans",
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "I-ORG", "B-ORG"], [(0, 2, "ORG"), (2, 3, "ORG")]),
        (["B-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
    ],
)
def test_iob_spans(tags, spans):
    assert iob_spans(tags) == spans


def test_case_variants_copies_and_lemmas(ddt_sample):
    data = load_ddt(ddt_sample)
    out = case_variants(data.train, lower_fraction=1.0, upper_fraction=1.0, seed=1)
    assert len(out) == 3 * len(data.train)
    lower = next(s for s in out if s.words[0] == "karina")
    upper = next(s for s in out if s.words[0] == "KARINA")
    assert lower.ner == upper.ner == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert lower.lemmas[0] == "karina" and upper.lemmas is None


def test_to_doc_sets_annotation_and_missing_layers(ddt_sample):
    import spacy

    data = load_ddt(ddt_sample)
    vocab = spacy.blank("da").vocab
    doc = to_doc(vocab, data.test[0])
    assert doc.text == "Ali har været til samtale på jobcentret."
    assert [(e.text, e.label_) for e in doc.ents] == [("Ali", "PER")]
    assert doc[1].pos_ == "AUX" and doc[6].lemma_ == "jobcenter"
    ner_only = to_doc(vocab, read_iob2(ddt_sample / "uner" / "da_ddt-ud-test.iob2")["test-0"])
    assert not ner_only.has_annotation("POS") and not ner_only.has_annotation("LEMMA")


def test_guess_spaces():
    assert guess_spaces(["Hej", ",", "(", "Ali", ")", "."]) == [False, True, False, False, False, False]


def test_name_swaps_rename_people_only(ddt_sample):
    from sprogtro.nlp.ddt import name_swaps

    data = load_ddt(ddt_sample)
    renamed = name_swaps(data.train, 2, ["Zorana", "Ib"], ["Qvist"], seed=0)
    with_people = [s for s in data.train if s.ner and "B-PER" in s.ner]
    assert len(renamed) == 2 * len(with_people)
    first = next(s for s in renamed if s.words[2:] == ["bor", "i", "Odense", "."])
    assert first.words[0] in ("Zorana", "Ib") and first.words[1] == "Qvist"  # first name + surname
    assert first.pos[:2] == ["PROPN", "PROPN"] and first.lemmas[:2] == first.words[:2]
    assert first.ner == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert all("Karina" not in s.words for s in renamed)
