"""sprogtro's benchmarks, one command.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--out benchmarks/results.csv] [--quick] [--no-scale]

First, on a ``--sample`` of generated documents: pseudonymization (docs/s, MB/s); coding tokens/s
against bare spaCy ``nlp.pipe`` on the same model and texts, in the same run; the speed-up from
``n_process`` 1 to 2; the Dask engine on a two-worker LocalCluster. Then, for each size, a fictional
corpus (:mod:`benchmarks.corpus`, streamed to a temporary folder) goes through ``sprogtro pseudonymize``
and ``sprogtro code``, each in a fresh process, for peak RSS and documents/s at that scale. Prints a
table and writes the same figures as CSV (``section,metric,size,value,unit,note``). ``--quick`` is a
smoke run: one small size, a small sample, one repetition, no Dask.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, fields
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.measure import (
    Result,
    measure_coding,
    measure_dask,
    measure_pseudonymization,
    measure_scale,
    ratio_rows,
    read_corpus,
)

DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (200,)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Generate fictional corpora and measure sprogtro's throughput and memory.",
        epilog="Example: python -m benchmarks.run --sizes 1000,10000 --out benchmarks/results.csv",
    )
    parser.add_argument("--sizes", type=_sizes, help="corpus sizes in documents, comma-separated "
                        f"(default {','.join(map(str, DEFAULT_SIZES))}; --quick: {QUICK_SIZES[0]})")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results.csv"), help="CSV to write")
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, one repetition, no Dask")
    parser.add_argument("--model", default="auto", help="spaCy pipeline, as for `sprogtro code --model`")
    parser.add_argument("--sample", type=int, default=1000,
                        help="documents for the throughput measurements (default 1000; --quick: 40)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="repetitions, interleaved where two things are compared; the best is kept (default 5:"
                             " on a shared virtual machine single runs vary by up to 15 %%)")
    parser.add_argument("--workdir", type=Path, help="where corpora go (default: a temporary folder, removed)")
    parser.add_argument("--seed", type=int, default=0, help="corpus generator seed")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine measurement")
    parser.add_argument("--scale-pseudonymize-model", default="auto",
                        help="--model of `sprogtro pseudonymize` in the scale runs (none: rules only; default auto)")
    parser.add_argument("--scale-n-process", type=int, default=1,
                        help="--n-process of `sprogtro code` in the scale runs (default 1)")
    parser.add_argument("--no-scale", action="store_true",
                        help="only the throughput measurements on --sample documents; no corpus sizes")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = args.sizes or QUICK_SIZES
        args.sample = min(args.sample, 40)
        args.repeat = 1
        args.no_dask = True
    args.sizes = sorted(set(args.sizes or DEFAULT_SIZES))
    return args


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {value!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def run(args: argparse.Namespace) -> list[Result]:
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sprogtro-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    try:
        stats = write_corpus(workdir / "sample", args.sample, seed=args.seed)
        sample = read_corpus(stats.root)
        _say(f"throughput on {len(sample)} documents")
        results += measure_pseudonymization(sample, len(sample), args.repeat)
        results += measure_coding(sample, len(sample), args.model, args.repeat)
        if not args.no_dask:
            results += measure_dask(sample, len(sample), args.model)
        del sample
        shutil.rmtree(stats.root, ignore_errors=True)

        for size in ([] if args.no_scale else args.sizes):
            _say(f"generating {size} documents")
            stats = write_corpus(workdir / f"corpus-{size}", size, seed=args.seed)
            _say(f"sprogtro code on {size} documents ({stats.bytes / 1e6:.1f} MB), fresh process")
            results += measure_scale(stats.root, size, stats.bytes / 1e6, args.model, workdir,
                                     pseudonymize_model=args.scale_pseudonymize_model,
                                     n_process=args.scale_n_process)
            shutil.rmtree(stats.root, ignore_errors=True)
        if not args.no_scale:
            results += ratio_rows(results, 10000, 100000) or ratio_rows(results, args.sizes[0], args.sizes[-1])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def write_csv(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f.name for f in fields(Result)], lineterminator="\n")
        writer.writeheader()
        for result in results:
            row = asdict(result)
            row["value"] = f"{result.value:.4g}" if result.value < 100 else f"{result.value:.0f}"
            writer.writerow(row)


def format_table(results: list[Result]) -> str:
    header = ("section", "metric", "docs", "value", "unit", "note")
    rows = [(r.section, r.metric, str(r.size),
             f"{r.value:.3g}" if r.value < 100 else f"{r.value:,.0f}", r.unit, r.note) for r in results]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w for w in widths[:-1]) + "  {}"
    out = [line.format(*header), line.format(*("-" * w for w in widths[:-1]), "-" * widths[-1])]
    out += [line.format(*row) for row in rows]
    return "\n".join(out)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load average {load}")


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _say(f"on {machine()}")
    started = time.perf_counter()
    results = run(args)
    write_csv(results, args.out)
    print(format_table(results))
    print(f"\n{machine()}; {time.perf_counter() - started:.0f} s in all; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
