"""Optional dependencies, imported only when used (BERTopic's ``NotInstalled`` idea).

``optional_import("bertopic")`` returns the module, or a placeholder that raises an error with the
install hint the first time anything on it is touched. Importing :mod:`sprogtro.analysis` therefore
never fails on a core install; only the step that needs the extra does.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from sprogtro.errors import SprogtroError

# module → the extra that provides it
EXTRAS: dict[str, str] = {
    "bertopic": "topics",
    "umap": "topics",
    "hdbscan": "topics",
    "plotly": "topics",
    "sentence_transformers": "topics",
}


class MissingDependencyError(SprogtroError, ImportError):
    """An optional package is needed for this step but is not installed."""


class NotInstalled:
    """Stands in for a missing optional module and fails with an install hint only when used."""

    def __init__(self, module: str, extra: str):
        self._module = module
        self._extra = extra

    def _fail(self) -> MissingDependencyError:
        return MissingDependencyError(
            f"this step needs the optional package {self._module!r}: "
            f"pip install 'sprogtro[{self._extra}]' (install torch==2.13.0 first, see the Makefile)"
        )

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise self._fail()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._fail()

    def __bool__(self) -> bool:
        return False


def optional_import(module: str, extra: str | None = None) -> ModuleType | NotInstalled:
    """Import ``module`` or return a :class:`NotInstalled` placeholder for it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name.split(".")[0] != top:
            raise  # the package is there but one of its own dependencies is broken: show that
        return NotInstalled(module, extra or EXTRAS.get(top, "all"))


def require(module: str, extra: str | None = None) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` with the install hint now."""
    mod = optional_import(module, extra)
    if isinstance(mod, NotInstalled):
        raise mod._fail()
    return mod
