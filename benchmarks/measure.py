"""The throughput measurements: pseudonymization, coding against bare spaCy, ``n_process`` speed-up and
the Dask engine. Each returns :class:`Result` rows; :mod:`benchmarks.run` prints and saves them."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """One figure. ``size`` is the corpus size (documents) it was measured at."""

    section: str
    metric: str
    size: int
    value: float
    unit: str
    note: str = ""


def read_corpus(root: Path, limit: int | None = None) -> list:
    """The first ``limit`` documents under ``root`` through sprogtro's readers, as coding sees them."""
    from itertools import islice

    from sprogtro.corpus import iter_documents

    return list(islice(iter_documents([root]), limit))


def _best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure_pseudonymization(docs: list, size: int, repeat: int) -> list[Result]:
    """Documents and megabytes (UTF-8 input) per second through the Pseudonymizer, one process."""
    from sprogtro.privacy.pseudonymizer import Pseudonymizer

    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6

    def run() -> None:
        pseudonymizer = Pseudonymizer()  # a fresh vault each time, as a new corpus would have
        for doc in docs:
            pseudonymizer.pseudonymize(doc)

    warm = Pseudonymizer()  # name lexicons and patterns load on first use: keep that out of the timing
    for doc in docs[:20]:
        warm.pseudonymize(doc)

    seconds = _best_of(repeat, run)
    n = len(docs)
    return [
        Result("pseudonymization", "docs_per_s", size, n / seconds, "docs/s", f"{n} docs, 1 process"),
        Result("pseudonymization", "mb_per_s", size, megabytes / seconds, "MB/s", f"{megabytes:.2f} MB"),
    ]


def measure_coding(docs: list, size: int, model: str, repeat: int, batch_size: int = 64) -> list[Result]:
    """sprogtro coding (``code_documents``, rows built) against bare ``nlp.pipe`` of the same spaCy
    pipeline without sprogtro's components, on the same texts in this run; then ``n_process`` 1 → 2.

    The one-process timings run with BLAS limited to one thread, so both sides get one core (unlimited,
    the bare pipeline's matrix products would borrow the second core, sprogtro's Python could not; the
    ``n_process`` workers run with one BLAS thread each as well)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _measure_coding(docs, size, model, repeat, batch_size)


def _measure_coding(docs: list, size: int, model: str, repeat: int, batch_size: int) -> list[Result]:
    from sprogtro.nlp.coding import code_documents
    from sprogtro.nlp.models import load_base, load_pipeline

    bare, tier = load_base(model, quiet=True)
    full = load_pipeline(model, quiet=True)
    texts = [d.text for d in docs]
    for _ in bare.pipe(texts[:50]):  # warm-up: lazy initialisation stays out of the timings
        pass
    for _ in code_documents(full, docs[:50], batch_size=batch_size):
        pass
    tokens = sum(len(doc) for doc in bare.pipe(texts, batch_size=batch_size))
    sentences = 0

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=batch_size):
            pass

    def run_code(n_process: int) -> Callable[[], None]:
        def run() -> None:
            nonlocal sentences
            sentences = sum(1 for _ in code_documents(full, docs, batch_size=batch_size, n_process=n_process))
        return run

    t_bare = t_code = float("inf")
    for _ in range(repeat):  # interleaved, so drift in machine load hits both alike
        t_bare = min(t_bare, _best_of(1, run_bare))
        t_code = min(t_code, _best_of(1, run_code(1)))
    t_code2 = _best_of(repeat, run_code(2))
    n = len(docs)
    note = f"model {tier}, {n} docs, {tokens} tokens, {sentences} sentences"
    return [
        Result("coding", "bare_spacy_tokens_per_s", size, tokens / t_bare, "tokens/s", note),
        Result("coding", "sprogtro_tokens_per_s", size, tokens / t_code, "tokens/s", "n_process=1"),
        Result("coding", "sprogtro_vs_bare_ratio", size, t_bare / t_code, "x",
               f"goal >= 0.85; one core each, best of {repeat} interleaved"),
        Result("coding", "sprogtro_docs_per_s", size, n / t_code, "docs/s", "n_process=1 (one core)"),
        Result("coding", "sprogtro_tokens_per_s_np2", size, tokens / t_code2, "tokens/s", "n_process=2"),
        Result("coding", "n_process_speedup_1_to_2", size, t_code / t_code2, "x",
               f"{os.cpu_count()} CPUs visible"),
    ]


def measure_dask(docs: list, size: int, model: str, workers: int = 2, partition_docs: int = 50) -> list[Result]:
    """The Dask engine on a LocalCluster of ``workers`` single-threaded processes: the start-up (cluster,
    pipeline load on every worker, first partitions), then steady-state documents/s on a warm cluster."""
    import logging

    from distributed import LocalCluster

    from sprogtro.engine.dask_engine import code_with_dask

    workdir = Path(tempfile.mkdtemp(prefix="sprogtro-bench-dask-"))
    start = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    try:
        warm = docs[: workers * partition_docs]
        code_with_dask(warm, workdir / "warm", model=model, scheduler=cluster.scheduler_address, quiet=True,
                       partition_docs=partition_docs)
        startup = time.perf_counter() - start
        summary = code_with_dask(docs, workdir / "run", model=model, scheduler=cluster.scheduler_address,
                                 quiet=True, partition_docs=partition_docs)
    finally:
        cluster.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return [
        Result("dask", "startup_s", size, startup, "s",
               f"LocalCluster {workers} workers, pipeline loads, first {len(warm)} docs"),
        Result("dask", "docs_per_s", size, summary.documents / summary.seconds, "docs/s",
               f"warm cluster, {workers} workers, partitions of {partition_docs}, {summary.rows} rows"),
    ]


def measure_scale(corpus: Path, size: int, megabytes: float, model: str, workdir: Path, *,
                  pseudonymize_model: str = "auto", n_process: int = 1) -> list[Result]:
    """The two CLI steps on the whole corpus, each in a fresh process: ``sprogtro pseudonymize`` (read →
    pseudonymize → text files), then ``sprogtro code --assume-pseudonymized`` on its output (read → code
    → Parquet). Peak RSS is the kernel's account of each process (``wait4``)."""
    pseudo = workdir / f"pseudo-{size}"
    coded = workdir / f"coded-{size}.parquet"
    key = workdir / f"key-{size}.enc"
    results = []
    seconds, rss = _run_measured([
        "pseudonymize", str(corpus), "--out", str(pseudo), "--key-file", str(key), "--quiet",
        "--model", pseudonymize_model])
    results += [
        Result("scale", "pseudonymize_peak_rss_mb", size, rss, "MB",
               f"sprogtro pseudonymize --model {pseudonymize_model}, fresh process"),
        Result("scale", "pseudonymize_docs_per_s", size, size / seconds, "docs/s",
               f"{megabytes:.1f} MB in {seconds:.0f} s, process start included"),
    ]
    seconds, rss = _run_measured([
        "code", str(pseudo), "--out", str(coded), "--format", "parquet", "--model", model,
        "--n-process", str(n_process), "--assume-pseudonymized", "--quiet"])
    rows = _parquet_rows(coded)
    results += [
        Result("scale", "code_peak_rss_mb", size, rss, "MB", f"sprogtro code --n-process {n_process}, fresh process"),
        Result("scale", "code_docs_per_s", size, size / seconds, "docs/s",
               f"{rows} sentences in {seconds:.0f} s, process start included"),
    ]
    shutil.rmtree(pseudo, ignore_errors=True)
    coded.unlink(missing_ok=True)
    key.unlink(missing_ok=True)
    return results


def _run_measured(args: list[str]) -> tuple[float, float]:
    """Run ``python -m sprogtro ARGS`` in a fresh process: (wall seconds, peak RSS in MB)."""
    env = dict(os.environ, SPROGTRO_PASSPHRASE=os.environ.get("SPROGTRO_PASSPHRASE", "benchmark-only"))
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.peak_rss", str(result_file), "--",
             sys.executable, "-m", "sprogtro", *args],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1],
        )
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError(f"sprogtro {args[0]} failed (exit {proc.returncode}): " + " | ".join(tail))
        result = json.loads(result_file.read_text(encoding="utf-8"))
    return result["seconds"], result["peak_rss_mb"]


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def ratio_rows(results: Iterable[Result], small: int, large: int) -> list[Result]:
    """Peak RSS at ``large`` documents over peak RSS at ``small`` per step (goal ≤ 1.2 from 10k to 100k)."""
    out = []
    for step in ("pseudonymize", "code"):
        rss = {r.size: r.value for r in results if r.metric == f"{step}_peak_rss_mb"}
        if small in rss and large in rss and small != large:
            out.append(Result("scale", f"{step}_peak_rss_growth", large, rss[large] / rss[small], "x",
                              f"{large} vs {small} docs, goal <= 1.2"))
    return out
