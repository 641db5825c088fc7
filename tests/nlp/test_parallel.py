"""code_documents with n_process > 1: rows built in forked workers, identical to one process, no stray workers."""

from __future__ import annotations

import multiprocessing

import pytest

from sprogtro.corpus.document import Document
from sprogtro.nlp.coding import code_documents, code_documents_grouped

from tests.nlp.test_coding import NOTE, transcript

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the row-building pool needs the fork start method")


def _documents(n: int = 40) -> list[Document]:
    docs = []
    for i in range(n):
        if i % 5 == 0:
            doc = transcript()
            docs.append(Document(doc_id=f"møde{i}.txt", text=doc.text, turns=doc.turns, pseudonymized=True,
                                 metadata=doc.metadata))
        elif i % 7 == 0:
            docs.append(Document(doc_id=f"tom{i}.txt", text="  ", pseudonymized=True))
        else:
            docs.append(Document(doc_id=f"notat{i}.txt", text=NOTE, pseudonymized=True,
                                 metadata={"municipality": "Aarhus", "case_id": str(i)}))
    return docs


def test_parallel_rows_identical_to_one_process(nlp):
    docs = _documents()
    one = list(code_documents(nlp, docs, batch_size=8, n_process=1))
    two = list(code_documents(nlp, docs, batch_size=8, n_process=2))
    assert repr(two) == repr(one)
    grouped = [doc_id for doc_id, _ in code_documents_grouped(nlp, docs, n_process=2)]
    assert grouped == [d.doc_id for d in docs]  # every document, sentences or not, in input order
    assert not multiprocessing.active_children()


def _failing(docs):
    yield from docs
    raise RuntimeError("reader failed")


def test_parallel_pool_closed_after_an_exception_and_when_abandoned(nlp_rules):
    with pytest.raises(RuntimeError, match="reader failed"):
        list(code_documents(nlp_rules, _failing(_documents(20)), n_process=2))
    assert not multiprocessing.active_children()
    stream = code_documents(nlp_rules, _documents(), n_process=2)
    next(stream)
    stream.close()
    assert not multiprocessing.active_children()


def test_parallel_workers_use_one_blas_thread_each(nlp_rules):
    """n workers on n cores: each worker limits BLAS to one thread (as the worker initializer does)."""
    from threadpoolctl import threadpool_info

    from sprogtro.nlp import coding

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    try:
        coding._init_worker(nlp_rules, 8, "v")
        threads = blas_threads()
        assert threads and set(threads) == {1}
    finally:
        limit = coding._WORKER.pop("blas_limit", None)
        if limit is not None:
            limit.restore_original_limits()
        coding._WORKER.clear()
    assert blas_threads() == before
