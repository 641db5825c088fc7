"""The same coding as ``sprogtro code``, on a Dask distributed cluster.

Design:

* The client streams documents from its iterator in partitions of ``partition_docs`` documents and keeps
  at most ``max_in_flight`` partitions submitted and unfinished, so it never holds the corpus.
* Each task codes one partition with :func:`sprogtro.nlp.coding.code_documents` (``n_process=1``; the
  cluster is the parallelism), on a spaCy pipeline loaded once per worker process and cached by model
  name (:func:`worker_pipeline`).
* The task writes its rows itself, as ``OUT_DIR/part-NNNNNN.parquet`` (the partition index, in input
  order), sorted by ``doc_id, sent_index``, in the local engine's columns and dtypes. It writes a hidden
  temporary file and renames it into place, so a file that exists is complete, and a retried task
  (an exception, or a worker that died) replaces the file instead of adding rows twice.
* Every file carries a fingerprint of its input (documents, the pipeline's model version with its
  classifier and lexicon hash, sprogtro's version) in its Parquet metadata. A re-run skips partitions whose file has the same fingerprint, so a killed run resumes, and
  removes part files beyond the end of the input, so the dataset is always exactly the input's rows.

The output folder must be visible to the workers at the same path (a shared file system on an HPC
cluster, a ReadWriteMany volume on Kubernetes). See docs/scale.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sprogtro import __version__
from sprogtro.corpus.document import Document
from sprogtro.errors import SprogtroError

PART_PREFIX = "part-"
PART_SUFFIX = ".parquet"
_PART_RE = re.compile(rf"^{PART_PREFIX}(\d{{6,}}){re.escape(PART_SUFFIX)}$")
_TMP_GLOB = f".{PART_PREFIX}*.tmp"
FINGERPRINT_KEY = b"sprogtro.fingerprint"
FORMAT_VERSION = "1"

# Worker-process state: one pipeline per model name, loaded on first use (see worker_pipeline).
_PIPELINES: dict[tuple[str, str | None], Any] = {}
_PIPELINE_LOADS: dict[tuple[str, str | None], int] = {}
_PIPELINE_LOCK = threading.Lock()


class DaskEngineError(SprogtroError):
    """The Dask engine could not start, reach its scheduler, or finish a partition."""


@dataclass
class DaskRunSummary:
    """What one :func:`code_with_dask` run did. ``written + skipped == partitions``."""

    out_dir: Path
    scheduler: str
    workers: int
    model_version: str = ""
    partitions: int = 0
    written: int = 0
    skipped: int = 0
    removed_stale: int = 0
    documents: int = 0
    rows: int = 0
    seconds: float = 0.0
    worker_pids: list[int] = field(default_factory=list)


# ------------------------------------------------------------------ worker side


def worker_pipeline(model: str, lexicon_dir: str | None = None):
    """The spaCy pipeline for ``model`` (and ``lexicon_dir``) in this process, loaded on the first call
    and cached.

    Tasks call this on the worker, so each worker process loads each model once, however many
    partitions it codes. Thread-safe for workers with several threads.
    """
    key = (model, lexicon_dir)
    nlp = _PIPELINES.get(key)
    if nlp is not None:
        return nlp
    with _PIPELINE_LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            from sprogtro.nlp.models import load_pipeline

            nlp = load_pipeline(model, lexicon_dir=lexicon_dir, quiet=True)
            _PIPELINES[key] = nlp
            _PIPELINE_LOADS[key] = _PIPELINE_LOADS.get(key, 0) + 1
    return nlp


def worker_model_version(model: str, lexicon_dir: str | None = None) -> str:
    """What produces the codings on this worker (classifier + lexicon hash + spaCy pipeline)."""
    from sprogtro.nlp.models import model_version

    return model_version(worker_pipeline(model, lexicon_dir))


def part_path(out_dir: Path, index: int) -> Path:
    """The file of partition ``index`` (0-based, in input order)."""
    return Path(out_dir) / f"{PART_PREFIX}{index:06d}{PART_SUFFIX}"


def rows_to_table(rows: list[dict[str, Any]]):
    """Rows from ``code_documents`` → an Arrow table in the local engine's columns and dtypes,
    sorted by ``doc_id, sent_index``."""
    from sprogtro.nlp.output import rows_to_table as local_rows_to_table

    table = local_rows_to_table(rows)
    if table.num_rows > 1:
        table = table.sort_by([("doc_id", "ascending"), ("sent_index", "ascending")])
    return table


def code_partition(
    index: int,
    documents: list[Document],
    out_dir: str,
    model: str,
    fingerprint: str,
    *,
    lexicon_dir: str | None,
    batch_size: int,
    model_version: str,
) -> dict[str, Any]:
    """Code one partition on a worker and write it atomically as its part file. Returns counts."""
    import pyarrow.parquet as pq

    from sprogtro.nlp.coding import code_documents

    nlp = worker_pipeline(model, lexicon_dir)
    rows = list(code_documents(nlp, documents, batch_size=batch_size, n_process=1, model_version=model_version))
    table = rows_to_table(rows)
    metadata = dict(table.schema.metadata or {})
    metadata[FINGERPRINT_KEY] = fingerprint.encode()
    table = table.replace_schema_metadata(metadata)
    final = part_path(Path(out_dir), index)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()
    return {"documents": len(documents), "rows": table.num_rows, "pid": os.getpid()}


# ------------------------------------------------------------------ client side


def partition_fingerprint(documents: list[Document], model_version: str) -> str:
    """A digest of everything that decides a partition's rows: its documents, the pipeline's
    :func:`~sprogtro.nlp.models.model_version` (classifier, lexicon hash, spaCy pipeline) and sprogtro's
    version."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}\0{__version__}\0{model_version}\0".encode())
    for doc in documents:
        meta = sorted((str(k), repr(v)) for k, v in doc.metadata.items())
        digest.update(repr((doc.doc_id, doc.pseudonymized, doc.turns, meta)).encode())
        digest.update(b"\0")
        digest.update(doc.text.encode("utf-8", "surrogatepass"))
        digest.update(b"\1")
    return digest.hexdigest()


def stored_fingerprint(path: Path) -> str | None:
    """The fingerprint in a part file's footer, or None when the file is missing or unreadable."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return None
    value = metadata.get(FINGERPRINT_KEY)
    return value.decode() if value else None


def iter_partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Consecutive lists of ``size`` documents (the last may be shorter), pulled lazily."""
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


def part_files(out_dir: Path) -> list[Path]:
    """The part files in ``out_dir``, in partition (= input) order."""
    return [path for _, path in _indexed_parts(out_dir)]


def _indexed_parts(out_dir: Path) -> list[tuple[int, Path]]:
    return sorted((int(m.group(1)), p) for p in Path(out_dir).iterdir() if (m := _PART_RE.match(p.name)))


def read_dataset(out_dir: Path):
    """The coded rows of a Dask run as one pandas DataFrame, in partition order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = part_files(Path(out_dir))
    if not files:
        raise DaskEngineError(f"no {PART_PREFIX}*{PART_SUFFIX} files in {out_dir}")
    table = pa.concat_tables(pq.read_table(p) for p in files)
    return table.replace_schema_metadata(None).to_pandas()


def _cleanup(out_dir: Path, n_partitions: int) -> int:
    """Remove part files past the end of this run's input and stray temporary files."""
    removed = 0
    for index, path in _indexed_parts(out_dir):
        if index >= n_partitions:
            path.unlink()
            removed += 1
    for tmp in out_dir.glob(_TMP_GLOB):
        tmp.unlink(missing_ok=True)
    return removed


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise DaskEngineError(
            "the dask engine needs the optional package 'distributed': pip install 'sprogtro[dask]'"
        ) from exc
    return distributed


def code_with_dask(
    documents: Iterable[Document],
    out_dir: Path,
    *,
    model: str,
    scheduler: str | None = None,
    n_workers: int = 2,
    quiet: bool = False,
    partition_docs: int = 200,
    lexicon_dir: str | Path | None = None,
    batch_size: int = 64,
    retries: int = 2,
    max_in_flight: int | None = None,
) -> DaskRunSummary:
    """Code ``documents`` on a Dask cluster into the Parquet dataset ``out_dir``.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    LocalCluster of ``n_workers`` single-threaded worker processes is started for the run.
    ``model`` and ``lexicon_dir`` are resolved on the workers (as for ``load_pipeline``), so a path
    must exist there too.
    ``retries`` re-runs a partition whose task raised; a partition on a worker that died is re-run by
    the scheduler. ``max_in_flight`` bounds the partitions submitted but not finished (default: twice
    the cluster's threads), which bounds the client's memory.
    """
    if partition_docs < 1:
        raise DaskEngineError("partition_docs must be at least 1")
    if n_workers < 1:
        raise DaskEngineError("n_workers must be at least 1")
    distributed = _import_distributed()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR if quiet else logging.WARNING,
        )
    try:
        try:
            client = distributed.Client(cluster if cluster is not None else scheduler)
        except (OSError, TimeoutError) as exc:
            raise DaskEngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            summary = _run(
                client, documents, out_dir,
                model=model, lexicon_dir=str(lexicon_dir) if lexicon_dir else None, quiet=quiet,
                partition_docs=partition_docs, batch_size=batch_size,
                retries=retries, max_in_flight=max_in_flight,
            )
    finally:
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _run(client, documents, out_dir: Path, *, model, lexicon_dir, quiet, partition_docs, batch_size,
         retries, max_in_flight) -> DaskRunSummary:
    from distributed import wait

    run_token = uuid.uuid4().hex[:8]
    nthreads = sum(client.nthreads().values()) or 1
    limit = max(2, max_in_flight or 2 * nthreads)
    summary = DaskRunSummary(out_dir=out_dir, scheduler=client.scheduler.address,
                             workers=len(client.nthreads()))
    summary.model_version = _probe_workers(client, model, lexicon_dir, run_token)
    pids: set[int] = set()
    progress = tqdm(desc="coding (dask)", unit="doc", disable=quiet, file=sys.stderr, dynamic_ncols=True)
    pending: dict[Any, int] = {}  # future → partition index

    def collect() -> None:
        done, _ = wait(list(pending), return_when="FIRST_COMPLETED")
        for future in done:
            index = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - re-raised with the partition, never its text
                raise DaskEngineError(f"partition {index} failed ({type(exc).__name__}: {exc}); "
                                      "the partitions written so far stay, a re-run resumes") from exc
            summary.written += 1
            summary.rows += result["rows"]
            pids.add(result["pid"])
            progress.update(result["documents"])

    try:
        for index, docs in enumerate(iter_partitions(documents, partition_docs)):
            summary.partitions += 1
            summary.documents += len(docs)
            fingerprint = partition_fingerprint(docs, summary.model_version)
            path = part_path(out_dir, index)
            if stored_fingerprint(path) == fingerprint:
                summary.skipped += 1
                summary.rows += _row_count(path)
                progress.update(len(docs))
                continue
            while len(pending) >= limit:
                collect()
            future = client.submit(
                code_partition, index, docs, str(out_dir), model, fingerprint, lexicon_dir=lexicon_dir,
                batch_size=batch_size, model_version=summary.model_version,
                key=f"sprogtro-code-{run_token}-{index:06d}", pure=False, retries=retries,
            )
            pending[future] = index
        while pending:
            collect()
    except Exception as exc:
        if not isinstance(exc, DaskEngineError):  # the input failed: finish what was submitted,
            while pending:                          # so a re-run resumes after it
                collect()
        raise
    finally:
        client.cancel(list(pending))  # after an error (or Ctrl-C): nothing keeps running on the cluster
        progress.close()

    summary.removed_stale = _cleanup(out_dir, summary.partitions)
    summary.worker_pids = sorted(pids)
    return summary


def _probe_workers(client, model: str, lexicon_dir: str | None, run_token: str) -> str:
    """Load the pipeline on every worker now (in parallel, in the workers' task threads) and return its
    model version. A model the workers cannot load, a worker without sprogtro, or workers with different
    pipelines or lexicons fail here, before any input is read."""
    workers = list(client.nthreads()) or [None]  # None: wait for the first worker of an empty cluster
    futures = [
        client.submit(worker_model_version, model, lexicon_dir, key=f"sprogtro-probe-{run_token}-{i}", pure=False,
                      workers=None if w is None else [w], allow_other_workers=w is None)
        for i, w in enumerate(workers)
    ]
    try:
        versions = set(client.gather(futures))
    except SprogtroError as exc:
        raise DaskEngineError(f"the workers cannot load the spaCy pipeline: {exc}") from exc
    except ImportError as exc:
        raise DaskEngineError(f"the workers cannot import sprogtro ({exc}); install the same sprogtro "
                              "version in the workers' environment") from exc
    if len(versions) > 1:
        raise DaskEngineError(f"the workers load different pipelines ({', '.join(sorted(versions))}); "
                              "give every worker the same sprogtro, model and lexicons")
    return versions.pop()


def _row_count(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows
