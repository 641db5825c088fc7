"""Fixtures shared by every stage. Stage-specific fixtures live in tests/<stage>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    return REPO_ROOT / "corpora_sample"


@pytest.fixture
def passphrase(monkeypatch) -> str:
    """A test passphrase, provided the way users provide it (environment)."""
    value = "test-passphrase-not-secret"
    monkeypatch.setenv("SPROGTRO_PASSPHRASE", value)
    return value
