"""The hand-coded gold sentences: schema, label sets, counts, the fixed split and its stratification."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.data.conftest import GOLD_CSV, LABELS

COLUMNS = ["id", "text", "framing", "expectation", "action", "split", "genre", "speaker_role"]
GENRES = {"journalnotat", "visitation", "transskription", "virksomhed"}
ROLES = {"caseworker", "citizen", "employer", "other"}
TEST_RESIDUES = {0, 3, 7}  # g-ids: test when the id's number modulo 10 is 0, 3 or 7
# a-, c-, d- and e-ids (training data) and b-ids (a wholly held-out test set) were written and coded by
# further coders who never saw the lexicons, the g-set or each other's sentences
SPLIT_BY_PREFIX = {"a": "train", "b": "test", "c": "train", "d": "train", "e": "train", "f": "train", "h": "train", "i": "train", "k": "test"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def test_gold_file_is_utf8_lf_without_bom():
    raw = GOLD_CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    raw.decode("utf-8")


def test_gold_columns_and_size(gold_rows):
    with GOLD_CSV.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header == COLUMNS
    assert len(gold_rows) >= 600


def test_gold_ids_unique_and_well_formed(gold_rows):
    ids = [r["id"] for r in gold_rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[gabcdefhik]\d{4}", i) for i in ids)


@pytest.mark.parametrize("dimension", sorted(LABELS))
def test_gold_labels_in_codebook(gold_rows, dimension):
    assert {r[dimension] for r in gold_rows} == set(LABELS[dimension])


def test_gold_genres_and_speaker_roles(gold_rows):
    assert {r["genre"] for r in gold_rows} == GENRES
    assert {r["speaker_role"] for r in gold_rows} == ROLES


def test_gold_texts_nonempty_and_never_duplicated(gold_rows):
    texts = [_norm(r["text"]) for r in gold_rows]
    assert all(len(t) > 10 for t in texts)
    duplicated = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicated, duplicated[:5]


def test_gold_no_sentence_in_both_splits(gold_rows):
    train = {_norm(r["text"]) for r in gold_rows if r["split"] == "train"}
    test = {_norm(r["text"]) for r in gold_rows if r["split"] == "test"}
    assert not train & test


def test_gold_split_follows_the_fixed_rule(gold_rows):
    for row in gold_rows:
        if row["id"].startswith("g"):
            expected = "test" if int(row["id"][1:]) % 10 in TEST_RESIDUES else "train"
        else:
            expected = SPLIT_BY_PREFIX[row["id"][0]]
        assert row["split"] == expected, row["id"]
    share = sum(r["split"] == "test" for r in gold_rows) / len(gold_rows)
    assert 0.15 <= share <= 0.40


@pytest.mark.parametrize("dimension", sorted(LABELS))
def test_gold_every_class_has_enough_sentences_in_total_and_in_test(gold_rows, dimension):
    total = Counter(r[dimension] for r in gold_rows)
    test = Counter(r[dimension] for r in gold_rows if r["split"] == "test")
    for label in LABELS[dimension]:
        assert total[label] >= 40, (dimension, label, total[label])
        assert test[label] >= 8, (dimension, label, test[label])


@pytest.mark.parametrize("dimension", sorted(LABELS))
def test_gold_test_split_is_stratified(gold_rows, dimension):
    """Each class's test share stays within 10 points of the overall test share."""
    overall = sum(r["split"] == "test" for r in gold_rows) / len(gold_rows)
    for label in LABELS[dimension]:
        rows = [r for r in gold_rows if r[dimension] == label]
        share = sum(r["split"] == "test" for r in rows) / len(rows)
        assert abs(share - overall) <= 0.10, (dimension, label, round(share, 2), round(overall, 2))


def test_gold_covers_the_hard_phrasings(gold_rows):
    """Negations, contrasts, hedges and spoken forms are all represented."""
    texts = [r["text"].lower() for r in gold_rows]

    def count(pattern: str) -> int:
        return sum(bool(re.search(pattern, t)) for t in texts)

    assert count(r"\b(ingen problemer|aldrig|ikke uden|uden erfaring|ikke motiveret)\b") >= 15
    assert count(r"\b(men|selvom|selv om|til gengæld|dog)\b") >= 60
    assert count(r"\b(formentlig|måske|tror|muligt|sandsynlig\w*|nok|tvivl\w*)\b") >= 40
    assert count(r"\b(altså|øh|ik'|sådan lidt|sgu)") >= 15
    assert count(r"\b(afvent\w*|i bero|udsk\w*|udsæt\w*|ligger stille|pause|klar)\b") >= 40


def test_gold_readme_counts_match_the_file(gold_rows):
    readme = (GOLD_CSV.parent / "README.md").read_text(encoding="utf-8")
    for dimension in ("framing", "expectation", "action", "genre", "speaker_role"):
        counts = Counter((r[dimension], r["split"]) for r in gold_rows)
        for label in {r[dimension] for r in gold_rows}:
            train, test = counts[(label, "train")], counts[(label, "test")]
            assert f"| {label} | {train} | {test} | {train + test} |" in readme, (dimension, label)
    assert f"Total: {len(gold_rows)} sentences" in readme
