"""Atomic writes for analysis outputs: a reader (or a crash) never sees half a table or report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sprogtro._io import atomic_write_text


def write_csv(path: str | Path, table: pd.DataFrame) -> Path:
    """A table as UTF-8 CSV with LF line ends and no index, written atomically."""
    return atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
