"""Privacy test helpers: one shared analyzer (the lexicons load once) and hit extraction by type."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprogtro.privacy.analyzer import Analyzer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def found(analyzer):
    """found(text, entity_type) → the matched strings of that type, in order."""

    def _found(text: str, entity_type: str, turns=()) -> list[str]:
        return [text[h.start : h.end] for h in analyzer.analyze(text, turns) if h.entity_type == entity_type]

    return _found


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
