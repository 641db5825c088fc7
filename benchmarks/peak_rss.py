"""Run a command and record its peak resident memory: ``python -m benchmarks.peak_rss RESULT.json -- CMD...``.

A small launcher, because the kernel's peak-RSS figure for a child carries over the memory of the process
that forked it (``ru_maxrss`` survives ``exec``): measured straight from the benchmark process, which
holds spaCy and a corpus sample, every child would look at least that big. Started fresh, this launcher is
tiny, so its child's ``ru_maxrss`` is the child's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m benchmarks.peak_rss RESULT.json -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    result_path, command = argv[0], argv[2:]
    start = time.perf_counter()
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump({"returncode": code, "seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}, handle)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
