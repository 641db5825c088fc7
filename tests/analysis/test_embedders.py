"""The optional embedding backends, exercised for real and offline: a tiny sentence-transformers model and
a spaCy pipeline with vectors, both built here in the test (no hub, no download)."""

from __future__ import annotations

import numpy as np
import pytest

from sprogtro.analysis.embedders import SentenceTransformerEmbedder, SpacyEmbedder, make_embedder
from sprogtro.errors import ModelError

DOCS = [
    "Borgeren har svært ved at sidde længe på grund af smerter i ryggen.",
    "Hun møder stabilt i praktikken hos tømreren og er god til kunderne.",
    "Han afventer speciallægeerklæring om ryggen.",
    "Jobkandidaten tilmeldes kursus i dansk og matematik på VUC.",
    "Borgeren har gæld og er bange for at miste lejligheden.",
    "Klienten har erfaring med lagerarbejde og truckcertifikat.",
]


def _st_modules():
    try:  # sentence-transformers ≥ 6
        from sentence_transformers.sentence_transformer import modules
    except ImportError:  # pragma: no cover - older releases
        from sentence_transformers import models as modules
    return modules


@pytest.fixture(scope="session")
def tiny_st_model(tmp_path_factory, raw_sentences):
    """A 2-layer, 32-dim BERT with a WordPiece vocabulary trained here on the synthetic corpus, wrapped as a
    sentence-transformers model (Transformer + mean Pooling) and saved to a folder."""
    pytest.importorskip("sentence_transformers", reason="the 'topics' extra is not installed")
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-st")
    bert_dir, st_dir = root / "bert", root / "st"
    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=400, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    wordpiece.train_from_iterator(list(raw_sentences["text"]) + DOCS, trainer=trainer)
    tokenizer = BertTokenizerFast(tokenizer_object=wordpiece, unk_token="[UNK]", pad_token="[PAD]",
                                  cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]", do_lower_case=True,
                                  strip_accents=False, model_max_length=128)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=wordpiece.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(bert_dir)
    tokenizer.save_pretrained(bert_dir)

    from sentence_transformers import SentenceTransformer

    modules = _st_modules()
    transformer = modules.Transformer(str(bert_dir), max_seq_length=128)
    dimension = getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    pooling = modules.Pooling(dimension(), "mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(st_dir))
    return st_dir


def test_embedders_sentence_transformers_local_path_offline(tiny_st_model, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(f"sentence-transformers:{tiny_st_model}")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    vectors = embedder.embed(DOCS)
    assert vectors.shape == (len(DOCS), 32)
    assert np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.allclose(vectors, embedder.embed(DOCS))  # deterministic
    assert not np.allclose(vectors[0], vectors[1])


def test_embedders_sentence_transformers_drive_topics(tiny_st_model, sentences):
    pytest.importorskip("bertopic", reason="the 'topics' extra is not installed")
    from sprogtro.analysis.topics import fit_topics

    subset = sentences[sentences["municipality"].isin(["Aarhus", "Odense"])]
    result = fit_topics(subset, fast=True, embedder=f"sentence-transformers:{tiny_st_model}")
    assert result.embeddings.shape[1] == 32
    assert len(set(result.doc_topics)) >= 2
    assert result.model.embedding_model.embedder is result.embedder


def test_embedders_sentence_transformers_never_download(tmp_path, monkeypatch):
    pytest.importorskip("sentence_transformers", reason="the 'topics' extra is not installed")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-cache"))
    with pytest.raises(ModelError, match="never downloads"):
        SentenceTransformerEmbedder("sprogtro-test/no-such-model").embed(DOCS)


@pytest.fixture(scope="session")
def spacy_with_vectors(tmp_path_factory):
    import spacy

    nlp = spacy.blank("da")
    rng = np.random.default_rng(0)
    words = sorted({t.text for doc in nlp.pipe(DOCS) for t in doc})
    for word in words:
        nlp.vocab.set_vector(word, rng.normal(size=16).astype("float32"))
    path = tmp_path_factory.mktemp("spacy") / "da_vectors"
    nlp.to_disk(path)
    return path


def test_embedders_spacy_pipeline_with_vectors(spacy_with_vectors):
    embedder = make_embedder(f"spacy:{spacy_with_vectors}")
    assert isinstance(embedder, SpacyEmbedder)
    vectors = embedder.embed(DOCS)
    assert vectors.shape == (len(DOCS), 16)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_embedders_spacy_without_vectors_is_refused(tmp_path):
    import spacy

    spacy.blank("da").to_disk(tmp_path / "blank")
    with pytest.raises(ModelError, match="no word vectors"):
        SpacyEmbedder(str(tmp_path / "blank")).embed(DOCS)


def test_embedders_spacy_missing_pipeline(tmp_path):
    with pytest.raises(ModelError, match="could not be loaded"):
        SpacyEmbedder(str(tmp_path / "nowhere")).embed(DOCS)
