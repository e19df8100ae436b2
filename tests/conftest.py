"""Fixtures shared by the whole suite: a real Mosquitto broker and headless Kivy settings."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Kivy reads these at import time; set them before any test module imports it.
_KIVY_HOME = Path(__file__).resolve().parent.parent / ".pytest_cache" / "kivy_home"
_KIVY_HOME.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("KIVY_HOME", str(_KIVY_HOME))
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
os.environ.setdefault("KIVY_CLOCK", "interrupt")  # as hmi.cli sets it for the product
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from tests.support.mosquitto import MosquittoBroker  # noqa: E402


@pytest.fixture(autouse=True)
def source_language() -> Iterator[None]:
    """Every test ends in en-GB: the translator is one object per process, and a test that
    switched it would otherwise leave the next one reading German or Arabic."""
    yield
    import hmi.i18n

    translator = vars(hmi.i18n).get("tr")   # made on first use: no Kivy import if unused
    if translator is not None and translator.language != "en-GB":
        translator.switch("en-GB")


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> MosquittoBroker:
    """One broker for the session; tests keep apart by using their own vehicle id."""
    broker = MosquittoBroker(tmp_path_factory.mktemp("mosquitto")).start()
    yield broker
    broker.stop()


@pytest.fixture
def private_mosquitto(tmp_path: Path) -> MosquittoBroker:
    """A broker of the test's own, for tests that kill or restart it."""
    broker = MosquittoBroker(tmp_path / "mosquitto").start()
    yield broker
    broker.stop()


@pytest.fixture
def vehicle_id(request: pytest.FixtureRequest) -> str:
    """A vehicle id unique to the test, so tests sharing a broker never see each other."""
    name = "".join(c if c.isalnum() else "-" for c in request.node.name)[-18:].strip("-")
    digest = hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:6]
    return f"t-{name}-{digest}"
