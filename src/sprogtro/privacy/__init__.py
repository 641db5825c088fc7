"""Danish pseudonymization: recognizers detect, operators replace, one encrypted key vault keeps the
surrogates consistent and reversible. Start with :class:`Pseudonymizer` (documents and strings),
:class:`KeyVault` (the key file) or :func:`sprogtro.privacy.batch.pseudonymize_folder` (folders).
See docs/privacy.md."""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "Analyzer": "sprogtro.privacy.analyzer",
    "Hit": "sprogtro.privacy.recognizers.base",
    "KeyVault": "sprogtro.privacy.vault",
    "Pseudonymizer": "sprogtro.privacy.pseudonymizer",
    "get_passphrase": "sprogtro.privacy.passphrase",
    "pseudonymize_folder": "sprogtro.privacy.batch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:  # lazy: importing the package stays cheap
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sprogtro.privacy' has no attribute {name!r}")
