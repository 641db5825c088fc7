"""One catalogue of error messages (the spaCy way). Messages never echo citizen text."""

from __future__ import annotations


class SprogtroError(Exception):
    """Base class: the CLI prints ``Error: <message>`` and exits 1."""


class ReadError(SprogtroError):
    """A source file could not be read. Carries the path and a reason, never the file's content."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class VaultError(SprogtroError):
    """The key vault could not be opened or written (wrong passphrase, corrupt file, bad location)."""


class ModelError(SprogtroError):
    """A spaCy pipeline or trained classifier could not be loaded."""


class StoreError(SprogtroError):
    """A project store is missing, locked or of an unknown schema version."""


class ExportError(SprogtroError):
    """An export or import of QDA data failed."""
