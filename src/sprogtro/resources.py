"""One resolver for bundled data (lexicons, codebook, sample corpus).

A wheel ships them under ``sprogtro/_data``; an editable checkout reads them from the repository root,
where the layout fixed by DESIGN.md keeps them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def data_path(*parts: str) -> Path:
    """Return the path of a bundled data folder or file, e.g. ``data_path("lexicons", "da")``."""
    packaged = Path(str(resources.files("sprogtro"))) / "_data" / Path(*parts)
    if packaged.exists():
        return packaged
    in_checkout = _REPO_ROOT.joinpath(*parts)
    if in_checkout.exists():
        return in_checkout
    raise FileNotFoundError(
        f"bundled data {'/'.join(parts)!r} not found in the installed package or the checkout; "
        "reinstall sprogtro (pip install sprogtro) or run from a full checkout"
    )


def lexicon_dir(lang: str = "da") -> Path:
    return data_path("lexicons", lang)
