"""The shared contract's module name for the readers (``sprogtro.corpus.readers``); the code lives in
:mod:`sprogtro.corpus.reader`."""

from sprogtro.corpus.reader import document_from_text, iter_documents, iter_file, read_file

__all__ = ["document_from_text", "iter_documents", "iter_file", "read_file"]
