"""Topics: explicit blocks, Danish tokens, de-duplication and the same topics across runs and processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("bertopic", reason="the 'topics' extra is not installed")

from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402

from sprogtro.analysis._bertopic_blocks import CtfidfWords, EmbedderBackend  # noqa: E402
from sprogtro.analysis.embedders import TfidfSvdEmbedder, adaptive_components, make_embedder  # noqa: E402
from sprogtro.analysis.frame import AnalysisError, dedupe_key  # noqa: E402
from sprogtro.analysis.stopwords import analysis_stop_words, danish_stop_words, surrogate_words  # noqa: E402
from sprogtro.analysis.topics import TOKEN_PATTERN, fit_topics  # noqa: E402
from sprogtro.errors import ModelError  # noqa: E402


@pytest.fixture
def fast_result(fast_topics):
    return fast_topics


def test_topics_token_pattern_keeps_danish_letters_and_drops_tags():
    analyzer = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True, strip_accents=None).build_analyzer()
    assert analyzer("Søster på gården får æbler, [PERSON_3] og 2024") == ["søster", "på", "gården", "får", "æbler",
                                                                        "og"]


def test_topics_danish_stop_words_are_data():
    words = set(danish_stop_words())
    assert {"og", "ikke", "være", "øh", "marts"} <= words
    assert "god" not in words and "ny" not in words  # content words in case notes stay
    assert all(w == w.lower() for w in words)


def test_topics_surrogate_names_are_no_topic_words(sentences):
    surrogates = surrogate_words()
    assert {"aagaard"} <= surrogates or not surrogates  # the privacy stage's pools, when readable
    assert not surrogates & {"borgeren", "praktik", "job", "smerter"}  # never ordinary words
    name = sorted(surrogates)[0] if surrogates else "zørensen"
    docs = sentences.head(200).assign(text=lambda d: d["text"] + f" {name.capitalize()} ringede.")
    def words(result):
        return {token for topic in result.model.get_topics().values() for word, _ in topic for token in word.split()}

    assert name not in words(fit_topics(docs, fast=True))
    if surrogates:
        assert name in words(fit_topics(docs, fast=True, drop_surrogate_names=False))


def test_topics_tfidf_embedder_adapts_components():
    docs = ["Borgeren har gæld.", "Hun møder stabilt.", "Han afventer lægen.", "Praktik på lageret.", "Kursus på VUC."]
    emb = TfidfSvdEmbedder().fit(docs)
    assert emb.n_components_ == 4 == adaptive_components(5, 10_000, 100)
    vectors = emb.embed(docs)
    assert vectors.shape == (5, 4)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert "æ" in "".join(emb.vectorizer_.get_feature_names_out())  # no accent stripping


@pytest.mark.parametrize("spec", ["bert", "sentence-transformers", "spacy", "tfidf:extra"])
def test_topics_unknown_embedder_spec_is_refused(spec):
    with pytest.raises(ModelError, match="unknown embedder"):
        make_embedder(spec)


def test_topics_fast_path_assigns_every_row(fast_result, raw_sentences):
    rows = fast_result.rows
    assert len(rows) == len(raw_sentences)
    assert rows["topic"].notna().all()
    assert len(set(fast_result.doc_topics)) >= 2 and -1 not in set(fast_result.doc_topics)  # KMeans: no outliers
    # duplicates (same text up to case/space) share a topic, and each distinct text is fitted once
    keys = rows["text"].map(dedupe_key)
    assert (rows.groupby(keys)["topic"].nunique() == 1).all()
    assert len(fast_result.docs) == keys.nunique()
    words = " ".join(fast_result.topic_table()["words"])
    assert any(ch in words for ch in "æøå")


def test_topics_every_block_is_explicit(fast_result):
    model = fast_result.model
    assert isinstance(model.embedding_model, EmbedderBackend)  # never None: no download
    assert isinstance(model.representation_model, CtfidfWords)
    assert set(model.vectorizer_model.stop_words) == analysis_stop_words()
    assert model.vectorizer_model.token_pattern == TOKEN_PATTERN
    assert type(model.umap_model).__name__ == "PCA" and type(model.hdbscan_model).__name__ == "KMeans"


def test_topics_same_input_any_order_same_topics(fast_result, raw_sentences):
    from sprogtro.analysis.frame import prepare_sentences

    shuffled = prepare_sentences(raw_sentences.sample(frac=1, random_state=7))
    again = fit_topics(shuffled, fast=True)
    first = dict(zip(fast_result.rows["text"], fast_result.rows["topic"]))
    second = dict(zip(again.rows["text"], again.rows["topic"]))
    assert first == second
    assert list(fast_result.topic_table()["words"]) == list(again.topic_table()["words"])


def test_topics_per_class_shares_and_over_time(fast_result):
    per = fast_result.per_class("municipality")
    assert set(per["municipality"]) == {"Aalborg", "Aarhus", "Odense", "Vejle"}
    assert per["frequency"].sum() == len(fast_result.rows)  # all rows, duplicates included
    shares = fast_result.shares("doc_type")
    assert np.allclose(shares.groupby("group")["share"].sum(), 1.0)
    over = fast_result.over_time()
    assert pd.api.types.is_datetime64_any_dtype(over["timestamp"])
    assert sorted({ts.year for ts in over["timestamp"]}) == sorted(fast_result.rows["date"].dt.year.unique())
    assert (over["timestamp"].dt.month == 1).all() and (over["timestamp"].dt.day == 1).all()


def test_topics_representative_sentences_carry_metadata(fast_result):
    reps = fast_result.representative(2)
    assert set(reps["topic"]) == set(fast_result.doc_topics)
    assert {"doc_id", "municipality", "text", "similarity"} <= set(reps.columns)
    assert (reps.groupby("topic")["rank"].max() <= 2).all()


def test_topics_write_tables_and_offline_plots(fast_result, tmp_path):
    written = fast_result.write(tmp_path, "municipality")
    names = {p.name for p in written}
    assert {"topic_info.csv", "document_topics.csv", "representative_sentences.csv", "topics_per_municipality.csv",
            "topic_shares_by_municipality.csv", "topics_over_time.csv", "topic_settings.csv", "topics.html"} <= names
    html = (tmp_path / "topics.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link" not in html  # plotly.js is inline, loaded from nowhere
    assert html.count("Plotly.newPlot") >= 2
    info = pd.read_csv(tmp_path / "topic_info.csv")
    assert info["n_rows"].sum() == len(fast_result.rows)


def test_topics_too_few_texts_is_a_clear_error(sentences):
    small = sentences.head(30).assign(text="Samme sætning igen.")
    with pytest.raises(AnalysisError, match="at least 10 distinct texts"):
        fit_topics(small, fast=True)


def test_topics_document_unit_and_coded_subset(sentences):
    sentences = sentences[sentences["case_id"].isin(sorted(sentences["case_id"].unique())[:20])]
    docs = fit_topics(sentences, fast=True, unit="document")
    assert len(docs.rows) == sentences["doc_id"].nunique()
    coded = fit_topics(sentences, fast=True, subset="coded")
    assert len(coded.rows) < len(sentences)


SCRIPT = textwrap.dedent("""
    import json, sys
    import pandas as pd
    from sprogtro.analysis.frame import prepare_sentences
    from sprogtro.analysis.topics import fit_topics
    result = fit_topics(prepare_sentences(pd.read_csv(sys.argv[1])))
    model = result.model
    out = {"texts": result.rows["text"].tolist(), "topics": result.rows["topic"].tolist(),
           "words": result.topic_table()["words"].tolist(),
           "blocks": [type(model.umap_model).__name__, model.umap_model.init, model.umap_model.random_state,
                      type(model.hdbscan_model).__name__, type(model.embedding_model).__name__]}
    result.reduce_outliers()
    out.update(reduced=result.rows["topic"].tolist(), reduced_words=result.topic_table()["words"].tolist(),
               notes=result.notes)
    print(json.dumps(out, ensure_ascii=False))
""")


@pytest.mark.slow
def test_topics_umap_hdbscan_same_topics_across_processes(tmp_path):
    """The UMAP + HDBSCAN path in two fresh interpreters (run side by side) with different hash seeds (set
    and dict order): the same topics sentence by sentence, the same words, before and after outlier
    reduction. (The fast path's order independence is tested in-process above.)"""
    from .conftest import make_sentences

    data = tmp_path / "sentences.csv"
    make_sentences(seed=2, n_cases=16).to_csv(data, index=False)
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(data)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
             for seed in ("1", "2")]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    first, second = outputs
    assert first == second
    assert first["blocks"] == ["UMAP", "pca", 42, "HDBSCAN", "EmbedderBackend"]
    assert len(set(first["topics"]) - {-1}) >= 2
    if -1 in first["topics"]:  # outlier reduction moved outliers into topics and said so
        assert first["reduced"].count(-1) < first["topics"].count(-1)
        assert first["notes"] and "outlier reduction" in first["notes"][0]
