"""The Dask engine gives exactly the local engine's rows, survives a killed worker, and resumes."""

from __future__ import annotations

import os

import pandas as pd
import pytest

pytest.importorskip("distributed")
import cloudpickle  # noqa: E402 - after the skip: both come with the dask extra

from sprogtro.engine.dask_engine import (
    DaskEngineError,
    code_with_dask,
    part_files,
    part_path,
    read_dataset,
)
from tests.engine import _faults
from tests.engine.conftest import TEST_MODEL

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def local_rows(small_corpus, tmp_path_factory) -> pd.DataFrame:
    """What the local engine writes for the corpus (Parquet, read back)."""
    from sprogtro.nlp.coding import code_documents
    from sprogtro.nlp.models import load_pipeline
    from sprogtro.nlp.output import write_rows

    rows = code_documents(load_pipeline(TEST_MODEL, quiet=True), small_corpus, batch_size=16, n_process=1)
    path = tmp_path_factory.mktemp("local") / "coded.parquet"
    write_rows(rows, path, "parquet")
    return pd.read_parquet(path)


def _run(docs, out_dir, cluster, **kwargs):
    kwargs.setdefault("partition_docs", 5)
    return code_with_dask(docs, out_dir, model=TEST_MODEL, scheduler=cluster.scheduler_address,
                          quiet=True, **kwargs)


def test_dask_engine_rows_equal_local_engine(small_corpus, local_rows, dask_cluster, tmp_path, monkeypatch):
    """Without a scheduler address the engine starts a LocalCluster of single-threaded worker processes;
    here that cluster is the session's two-worker cluster, so the test starts no third and fourth."""
    import distributed

    started = {}

    class SessionCluster:
        def __init__(self, **kwargs):
            started.update(kwargs)
            self.scheduler_address = dask_cluster.scheduler_address

        def close(self):
            started["closed"] = True

    monkeypatch.setattr(distributed, "LocalCluster", SessionCluster)
    monkeypatch.setattr(distributed, "Client", _client_for_address(distributed.Client))
    summary = code_with_dask(small_corpus, tmp_path / "out", model=TEST_MODEL, n_workers=2,
                             partition_docs=5, quiet=True)
    assert started == {"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None,
                       "silence_logs": 40, "closed": True}
    assert (summary.partitions, summary.written, summary.skipped) == (5, 5, 0)
    assert summary.documents == len(small_corpus) and summary.workers == 2
    assert summary.rows == len(local_rows) > len(small_corpus)
    assert [p.name for p in part_files(tmp_path / "out")] == [f"part-{i:06d}.parquet" for i in range(5)]
    pd.testing.assert_frame_equal(read_dataset(tmp_path / "out"), local_rows)


def _client_for_address(client_class):
    def connect(cluster_or_address, **kwargs):
        return client_class(getattr(cluster_or_address, "scheduler_address", cluster_or_address), **kwargs)

    return connect


def test_dask_engine_loads_pipeline_once_per_worker(small_corpus, dask_cluster, tmp_path):
    from distributed import Client

    summary = _run(small_corpus, tmp_path / "out", dask_cluster, partition_docs=2)
    assert summary.written == 12
    with Client(dask_cluster) as client:
        loads = client.run(_pipeline_loads)
    assert sorted(loads.values()) == [1, 1]


def _pipeline_loads() -> int:
    from sprogtro.engine import dask_engine

    return dask_engine._PIPELINE_LOADS.get((TEST_MODEL, None), 0)


def test_dask_engine_resumes_and_skips_complete_partitions(small_corpus, local_rows, dask_cluster, tmp_path):
    out = tmp_path / "out"
    _run(small_corpus, out, dask_cluster)
    mtimes = {p.name: p.stat().st_mtime_ns for p in part_files(out)}
    part_path(out, 3).unlink()
    (out / ".part-000001.parquet.deadbeef.tmp").write_bytes(b"half a file")

    summary = _run(small_corpus, out, dask_cluster)
    assert (summary.written, summary.skipped) == (1, 4)
    assert summary.rows == len(local_rows)
    for path in part_files(out):
        if path.name != "part-000003.parquet":
            assert path.stat().st_mtime_ns == mtimes[path.name]
    assert not list(out.glob(".*.tmp"))
    pd.testing.assert_frame_equal(read_dataset(out), local_rows)


def test_dask_engine_resumes_after_interrupted_input(small_corpus, local_rows, dask_cluster, tmp_path):
    def failing_reader():
        for i, doc in enumerate(small_corpus):
            if i == 12:
                raise OSError("disk went away")
            yield doc

    out = tmp_path / "out"
    with pytest.raises(OSError):
        _run(failing_reader(), out, dask_cluster)
    done_before = len(part_files(out))
    assert 0 < done_before <= 2
    summary = _run(small_corpus, out, dask_cluster)
    assert summary.skipped == done_before and summary.written == 5 - done_before
    pd.testing.assert_frame_equal(read_dataset(out), local_rows)


def test_dask_engine_rewrites_changed_partitions_and_drops_stale_ones(small_corpus, dask_cluster, tmp_path):
    out = tmp_path / "out"
    _run(small_corpus, out, dask_cluster)
    changed = list(small_corpus[:15])
    changed[6] = changed[6].with_text(changed[6].text + "\nBorgeren er glad for praktikken.")
    summary = _run(changed, out, dask_cluster)
    assert (summary.partitions, summary.written, summary.skipped, summary.removed_stale) == (3, 1, 2, 2)
    assert [p.name for p in part_files(out)] == [f"part-{i:06d}.parquet" for i in range(3)]
    frame = read_dataset(out)
    assert list(frame["doc_id"].unique()) == [d.doc_id for d in changed]


def test_dask_engine_client_holds_bounded_partitions(small_corpus, dask_cluster, tmp_path):
    out = tmp_path / "out"
    partition_docs, limit = 2, 2
    lead = []

    def watched():
        for i, doc in enumerate(small_corpus):
            lead.append(i - partition_docs * len(part_files(out)))
            yield doc

    out.mkdir()
    summary = _run(watched(), out, dask_cluster, partition_docs=partition_docs, max_in_flight=limit)
    assert summary.written == 12
    assert max(lead) < (limit + 1) * partition_docs


def test_dask_engine_unreachable_scheduler_is_a_clear_error(small_corpus, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(DaskEngineError, match="cannot reach the Dask scheduler"):
        code_with_dask(small_corpus, tmp_path / "out", model=TEST_MODEL,
                       scheduler="tcp://127.0.0.1:1", quiet=True)


def test_dask_engine_writes_one_sorted_file_per_partition(small_corpus, dask_cluster, tmp_path):
    import pyarrow.parquet as pq

    reversed_docs = list(reversed(small_corpus[:10]))
    _run(reversed_docs, tmp_path / "out", dask_cluster)
    first = pq.read_table(part_path(tmp_path / "out", 0)).to_pandas()
    assert list(first["doc_id"].unique()) == sorted(d.doc_id for d in reversed_docs[:5])
    assert first.equals(first.sort_values(["doc_id", "sent_index"], kind="stable"))


def test_dask_engine_unknown_model_fails_before_reading_input(dask_cluster, tmp_path):
    def reader():
        raise AssertionError("the input was read before the model was checked")
        yield

    with pytest.raises(DaskEngineError, match="cannot load the spaCy pipeline"):
        code_with_dask(reader(), tmp_path / "out", model=str(tmp_path / "no-such-pipeline"),
                       scheduler=dask_cluster.scheduler_address, quiet=True)


# Last in the file: the nanny restarts the killed worker while the module's cluster closes, instead of
# making the next test wait for a new worker to load its pipeline.
def test_dask_engine_survives_killed_worker(small_corpus, local_rows, dask_cluster, tmp_path):
    from distributed import Client

    marker = tmp_path / "killed.pid"
    cloudpickle.register_pickle_by_value(_faults)
    try:
        with Client(dask_cluster) as client:
            before = set(client.run(os.getpid).values())
            client.register_plugin(_faults.KillWorkerOnce(str(marker), key_suffix="-000002"))
            try:
                summary = _run(small_corpus, tmp_path / "out", dask_cluster)
            finally:
                client.unregister_worker_plugin(_faults.KillWorkerOnce.name)
    finally:
        cloudpickle.unregister_pickle_by_value(_faults)
    assert marker.exists(), "the fault plugin never fired"
    assert int(marker.read_text()) in before
    assert summary.written == 5 and summary.rows == len(local_rows)
    assert not list((tmp_path / "out").glob(".*"))
    pd.testing.assert_frame_equal(read_dataset(tmp_path / "out"), local_rows)
