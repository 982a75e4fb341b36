"""Shared fixtures: every test runs against a fresh CLAUSEWISE_HOME; engines use the real model and Chroma."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.chain import Clausewise
from qa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = (
    Path(__file__).parent / "languages"
)  # agreements in other languages (not in FIXTURES: fixture_engine indexes that)
CORPUS = ROOT / "corpus"
DEV_SET = ROOT.parent / "shared" / "eval" / "seed_questions.dev.jsonl"


def engine_over(tmp_path: Path, documents: dict[str, str]) -> Clausewise:
    """An engine over documents written for one test (file name -> text), written to tmp_path / "docs"."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([folder]).ok
    return cw


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_binary() -> str:
    """The `chroma` CLI of this environment, activated or not."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    assert found, "the chroma CLI comes with the chromadb package"
    return found


def run_module(
    module: str, *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS` as a user runs it, with its own CLAUSEWISE_HOME (and any other settings)."""
    env = {"CLAUSEWISE_HOME": str(home), "PATH": "/usr/bin:/bin", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing a test does touches the developer's index or reaches an LLM."""
    monkeypatch.setenv("CLAUSEWISE_HOME", str(tmp_path / "home"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST", "CLAUSEWISE_CORPUS"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture(scope="session")
def fixtures_path() -> Path:
    return FIXTURES


def indexed(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Clausewise:
    """An engine over the documents of a folder, in a home of its own, with the real embedding model."""
    cw = Clausewise(Settings(home=tmp_path_factory.mktemp(f"{folder.name}-home")))
    report = cw.ingest([folder])
    assert report.ok, report.failed
    return cw


@pytest.fixture(scope="session")
def fixture_engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    """The two small fixture documents."""
    return indexed(tmp_path_factory, FIXTURES)


@pytest.fixture(scope="session")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    """The five bundled documents (vectors come from the shipped seed cache)."""
    return indexed(tmp_path_factory, CORPUS)
