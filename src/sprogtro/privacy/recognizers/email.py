"""E-mail addresses."""

from __future__ import annotations

from sprogtro.privacy.recognizers.base import Pattern, PatternRecognizer


class EmailRecognizer(PatternRecognizer):
    name = "email"
    entity_type = "EMAIL"
    patterns = (
        Pattern(
            "email",
            r"(?<![\w.+-])[\w.+-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])",
            0.95,
        ),
    )
    context = ("mail", "e-mail", "email", "mailadresse")
