import pytest

from jaring.rules import nik


@pytest.fixture(autouse=True)
def _rules_alone(monkeypatch):
    """The rules as pure Python: without the region table the regions app plugs into
    rules.nik (tests/regions try that)."""
    monkeypatch.setattr(nik, "_newer_source", None)
