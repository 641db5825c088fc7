"""Fixtures for the engine tests: one LocalCluster of two worker processes for the module, and a
small fictional corpus."""

from __future__ import annotations

import logging

import pytest

from sprogtro.corpus.document import Document

TEST_MODEL = "fallback"


@pytest.fixture(scope="module")
def dask_cluster():
    """Two single-threaded worker processes, as `--engine dask` starts them."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    yield cluster
    cluster.close()


@pytest.fixture(scope="session")
def small_corpus() -> list[Document]:
    """23 fictional case documents of every type, ids in input order (so partition order = id order)."""
    from benchmarks.corpus import document

    docs = []
    for i in range(23):
        _, text = document(i, seed=7)
        docs.append(Document(doc_id=f"doc-{i:03d}", text=text, pseudonymized=True))
    return docs
