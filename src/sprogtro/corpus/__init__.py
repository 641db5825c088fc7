"""Reading sources: txt/docx/pdf/odt/csv/xlsx/vtt/srt and transcripts → normalised :class:`Document`."""

from sprogtro.corpus.document import Document, Turn

__all__ = ["Document", "Turn"]
