import os

import pytest

from beaker.cli import load_dotenv

test_path = os.path.join(os.path.dirname(__file__), "test_apps")


def test_load_dotenv(monkeypatch):
    for item in ("FOO", "BAR", "SPAM", "HAM"):
        monkeypatch._setitem.append((os.environ, item, None))
    monkeypatch.setenv("EGGS", "3")
    monkeypatch.chdir(test_path)
    assert load_dotenv()
    assert os.environ["FOO"] == "env"
    assert os.environ["BAR"] == "bar"
    assert os.environ["SPAM"] == "1"
    assert os.environ["EGGS"] == "3"
    assert os.environ["HAM"] == "spam"


@pytest.mark.parametrize("name", [".env"])
def test_dotenv_path(monkeypatch, name):
    load_dotenv(os.path.join(test_path, name))
    assert "FOO" in os.environ
