"""Server mode: a real `chroma run` on 127.0.0.1; ingest, retrieval, lookup and two API processes on it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa.chain import Clausewise
from qa.corpus import Corpus
from qa.settings import Settings

from .conftest import FIXTURES, ROOT, chroma_binary, free_port


def _wait(url: str, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited early: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start")


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-data")
    proc = subprocess.Popen(
        [chroma_binary(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, "chroma run")
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def test_ingest_retrieval_and_lookup_against_a_chroma_server(chroma: int, tmp_path: Path) -> None:
    cw = Clausewise(Settings(home=tmp_path / "home", chroma_host="127.0.0.1", chroma_port=chroma))
    assert sorted(cw.ingest([FIXTURES]).added) == ["acme-terms.txt", "globex-privacy.md"]
    before = cw.store.clauses.count()
    again = cw.ingest([FIXTURES])
    assert again.unchanged and cw.store.clauses.count() == before
    a = cw.ask("How old must I be to open an account?")
    assert a.citations[0].clause_id == "acme-terms#1.1"
    found = cw.lookup("acme 2.2")
    assert found is not None and found.citations[0].clause_id == "acme-terms#2.2"
    # Nothing was written locally: the index lives in the server.
    assert not (tmp_path / "home" / "chroma").exists()


def test_two_api_processes_share_one_chroma_server(chroma: int, tmp_path: Path) -> None:
    procs, clients = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            env = {
                **{k: v for k, v in os.environ.items() if k.startswith(("PATH", "HOME", "LANG"))},
                "CHROMA_HOST": "127.0.0.1",
                "CHROMA_PORT": str(chroma),
                "CLAUSEWISE_HOME": str(tmp_path / name),
            }
            proc = subprocess.Popen(
                [sys.executable, "-m", "qa", "serve", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            procs.append(proc)
            _wait(f"http://127.0.0.1:{port}/healthz", proc, f"API {name}")
            clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60))
        a, b = clients
        text = "Hooli Terms\n\n1. Storage\n\n1.1 Hooli keeps your files for 90 days after you leave.\n"
        r = a.post("/v1/documents", files={"file": ("hooli-terms.txt", text.encode(), "text/plain")})
        assert r.status_code == 201, r.text
        # B notices the other process's commit within its recheck interval (about a second).
        deadline = time.monotonic() + 10
        while "hooli-terms" not in {d["id"] for d in b.get("/v1/documents").json()["documents"]}:
            assert time.monotonic() < deadline, "B never saw the document A indexed"
            time.sleep(0.2)
        answer = b.post("/v1/ask", json={"question": "How long does Hooli keep my files after I leave?"}).json()
        assert answer["citations"][0]["clause_id"] == "hooli-terms#1.1"
        assert "90 days" in answer["citations"][0]["quote"]
        assert a.delete("/v1/documents/hooli-terms").status_code == 204
        time.sleep(Corpus.RECHECK_SECONDS + 0.2)
        assert b.get("/v1/documents/hooli-terms").status_code == 404
    finally:
        for c in clients:
            c.close()
        for p in procs:
            p.terminate()
            p.wait(10)
