"""The HTTP API over real HTTP (uvicorn on 127.0.0.1) with the real app: auth, limits, errors, SSE."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from qa.answer.llm import chat_model
from qa.api import create_app
from qa.chain import Clausewise
from qa.settings import Settings

from .conftest import FIXTURES, free_port, run_module
from .openai_stub import OpenAIStub, Reply

TOKEN = "s3cret-token"


class Served:
    """The real app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, cw: Clausewise) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(cw), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.05)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        return self.client

    def __exit__(self, *exc: Any) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api-home")


@pytest.fixture(scope="module")
def open_api(home: Path) -> Iterator[httpx.Client]:
    cw = Clausewise(Settings(home=home, rate_limit=0))
    assert cw.ingest([FIXTURES]).ok
    with Served(cw) as client:
        yield client


@pytest.fixture(scope="module")
def locked_api(home: Path) -> Iterator[httpx.Client]:
    cw = Clausewise(Settings(home=home, api_token=TOKEN, rate_limit=0, max_upload_mb=0.01))
    with Served(cw) as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


def test_ask_returns_the_cli_json_with_exact_citations(open_api: httpx.Client) -> None:
    r = open_api.post("/v1/ask", json={"question": "How old must I be to open an account?"})
    assert r.status_code == 200
    a = r.json()
    assert set(a) >= {"question", "status", "answer", "citations", "related", "timings_ms", "mode"}
    assert a["citations"][0]["clause_id"] == "acme-terms#1.1"
    text = open_api.get("/v1/documents/acme-terms").json()["text"]
    for c in a["citations"]:
        assert text[c["start"] : c["end"]] == c["quote"]


def test_a_follow_up_names_the_question_it_follows(open_api: httpx.Client) -> None:
    earlier = "Can I turn cookies off at Globex?"
    a = open_api.post("/v1/ask", json={"question": "And Acme?", "previous": earlier}).json()
    assert a["follows"] == earlier and a["scope"] == ["acme-terms"]
    assert {c["doc"] for c in [*a["citations"], *a["related"]]} == {"acme-terms.txt"}


def test_scope_lookup_and_clause_endpoints(open_api: httpx.Client) -> None:
    a = open_api.post("/v1/ask", json={"question": "cookies?", "documents": ["globex-privacy.md"]}).json()
    assert {c["doc"] for c in a["citations"]} == {"globex-privacy.md"}
    r = open_api.get("/v1/lookup", params={"q": "acme 2.2"})
    assert r.status_code == 200 and r.json()["citations"][0]["clause_id"] == "acme-terms#2.2"
    assert open_api.get("/v1/lookup", params={"q": "acme 9.9"}).json()["error"]["code"] == "no_clause"
    c = open_api.get("/v1/clauses/acme-terms#2.2".replace("#", "%23")).json()
    assert c["text"].startswith("2.2 Refunds are available") and c["children"] == [
        "acme-terms#2.2.a",
        "acme-terms#2.2.b",
    ]
    doc = open_api.get("/v1/documents/acme-terms").json()
    assert doc["title"] == "Acme Cloud Terms of Service" and any(o["label"] == "2.2" for o in doc["outline"])
    listed = open_api.get("/v1/documents").json()["documents"]
    assert {d["id"] for d in listed} >= {"acme-terms", "globex-privacy-md"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        (
            "post",
            "/v1/ask",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
            "invalid_request",
        ),
        ("post", "/v1/ask", {"json": {"q": "missing field"}}, 422, "invalid_request"),
        ("post", "/v1/ask", {"json": {"question": "   "}}, 400, "bad_question"),
        ("post", "/v1/ask", {"json": {"question": "x" * 2001}}, 422, "invalid_request"),
        ("post", "/v1/ask", {"json": {"question": "refunds?", "documents": ["initech"]}}, 404, "unknown_document"),
        ("get", "/v1/documents/nope", {}, 404, "unknown_document"),
        ("delete", "/v1/documents/nope", {}, 404, "unknown_document"),
        ("get", "/v1/clauses/nope%23x", {}, 404, "unknown_clause"),
    ],
)
def test_bad_requests_get_clear_json_errors(
    open_api: httpx.Client, method: str, path: str, kwargs: dict, status: int, code: str
) -> None:
    r = getattr(open_api, method)(path, **kwargs)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and err["message"] and "Traceback" not in r.text


def test_upload_replace_and_delete_a_document(open_api: httpx.Client, tmp_path: Path) -> None:
    text = "Initech Terms\n\n1. Fees\n\n1.1 The monthly fee is 20 euros.\n"
    r = open_api.post("/v1/documents", files={"file": ("initech-terms.txt", text.encode(), "text/plain")})
    assert r.status_code == 201 and r.json()["status"] == "added" and r.json()["document"]["id"] == "initech-terms"
    r = open_api.post("/v1/documents", files={"file": ("initech-terms.txt", text.encode(), "text/plain")})
    assert r.status_code == 200 and r.json()["status"] == "unchanged"
    a = open_api.post("/v1/ask", json={"question": "What is the Initech monthly fee?"}).json()
    assert "20 euros" in a["citations"][0]["quote"]
    new = text.replace("20 euros", "25 euros")
    r = open_api.post("/v1/documents", files={"file": ("initech-terms.txt", new.encode(), "text/plain")})
    assert r.status_code == 201 and r.json()["status"] == "replaced"
    a = open_api.post("/v1/ask", json={"question": "What is the Initech monthly fee?"}).json()
    assert "25 euros" in a["citations"][0]["quote"]
    doc = open_api.get("/v1/documents/initech-terms").json()
    assert doc["version"] == 2 and [v["version"] for v in doc["versions"]] == [1, 2]
    changes = open_api.get("/v1/documents/initech-terms/changes").json()
    assert (changes["from_version"], changes["to_version"]) == (1, 2)
    assert [(c["kind"], c["label"], c["new_text"]) for c in changes["changes"]] == [
        ("modified", "1.1", "1.1 The monthly fee is 25 euros.")
    ]
    r = open_api.get("/v1/documents/initech-terms/changes", params={"from": 1, "to": 5})
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_versions"
    assert open_api.delete("/v1/documents/initech-terms").status_code == 204
    assert open_api.get("/v1/documents/initech-terms").status_code == 404
    a = open_api.post("/v1/ask", json={"question": "What is the Initech monthly fee?"}).json()
    assert all(c["doc_id"] != "initech-terms" for c in a["citations"] + a["related"])


def test_a_pdf_upload_and_a_url_are_documents(open_api: httpx.Client) -> None:
    from .build_docs import pdf_of
    from .test_formats import PAGES

    r = open_api.post("/v1/documents", files={"file": ("acme-cloud.pdf", pdf_of(PAGES), "application/pdf")})
    assert r.status_code == 201 and r.json()["document"]["pages"] == 3
    a = open_api.post("/v1/ask", json={"question": "When is Customer Data deleted?", "documents": ["acme-cloud.pdf"]})
    assert a.json()["citations"][0]["page"] == 3
    r = open_api.post("/v1/documents", data={"url": "http://127.0.0.1:9/terms"})
    assert r.status_code == 400 and "internal address" in r.json()["error"]["message"]
    assert open_api.post("/v1/documents").status_code == 400


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 400, "bad_document"),
        ("terms.pdf", b"%PDF-1.7 ...", 400, "bad_document"),
        ("terms.exe", b"MZ\x90\x00", 415, "unsupported_type"),
        ("empty.md", b"", 400, "bad_document"),
    ],
)
def test_uploads_that_are_not_text_are_refused(
    open_api: httpx.Client, name: str, content: bytes, status: int, code: str
) -> None:
    r = open_api.post("/v1/documents", files={"file": (name, content, "application/octet-stream")})
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_auth_is_required_except_for_health(locked_api: httpx.Client) -> None:
    bare = httpx.Client(base_url=locked_api.base_url, timeout=30)
    assert bare.get("/healthz").json()["status"] == "ok"
    r = bare.get("/v1/documents")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert bare.get("/v1/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert bare.get("/v1/documents", headers={"Authorization": TOKEN}).status_code == 401
    assert locked_api.get("/v1/documents").status_code == 200


def test_uploads_over_the_size_limit_get_413(locked_api: httpx.Client) -> None:
    big = ("1. Clause\n\n" + "word " * 4000).encode()
    r = locked_api.post("/v1/documents", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def _upload_raw(port: int, head: bytes, pieces: Iterator[bytes]) -> tuple[int, int]:
    """Send a request piece by piece, stopping as soon as the server answers: (status, bytes of body sent)."""
    import select

    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for piece in pieces:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered before the body was all sent
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        reply = b""
        while b"\r\n" not in reply:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return int(reply.split(b" ", 2)[1]), sent


def test_an_announced_oversize_upload_is_refused_before_its_body_is_sent(locked_api: httpx.Client) -> None:
    port = locked_api.base_url.port
    head = (
        f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 314572800\r\n\r\n"
    ).encode()
    status, sent = _upload_raw(port, head, iter([]))  # 300 MB announced, not a byte of it sent
    assert (status, sent) == (413, 0)


def test_a_streamed_upload_without_a_length_is_cut_off_at_the_limit(locked_api: httpx.Client) -> None:
    port = locked_api.base_url.port
    head = (
        f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    part = b"--b\r\nContent-Disposition: form-data; name=file; filename=big.txt\r\n\r\n"

    def chunks() -> Iterator[bytes]:
        yield b"%x\r\n%s\r\n" % (len(part), part)
        block = b"word " * 13107  # 64 KiB
        for _ in range(4000):  # 256 MB if the server kept reading
            yield b"%x\r\n%s\r\n" % (len(block), block)
            time.sleep(0.001)

    status, sent = _upload_raw(port, head, chunks())
    assert status == 413
    assert sent < 16 * 1024 * 1024, f"the server read {sent} bytes of a body over a 0.01 MiB limit"


def test_clients_over_the_rate_limit_get_429(home: Path) -> None:
    cw = Clausewise(Settings(home=home, rate_limit=3))
    with Served(cw) as client:
        codes = [client.get("/v1/documents").status_code for _ in range(5)]
        r = client.get("/v1/documents")
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1


def test_streamed_answers_are_server_sent_events_with_citations_at_the_end(home: Path) -> None:
    def script(body: dict) -> str:
        import re

        ref = re.search(r"\[(C\d+)\][^\n]*\(clause id acme-terms#1\.1\)", body["messages"][-1]["content"]).group(1)
        q = "You must be at least 16 years old to open an account."
        return json.dumps(
            {"status": "answered", "sentences": [{"text": "At least 16.", "citations": [{"clause": ref, "quote": q}]}]}
        )

    with OpenAIStub(Reply(script)) as stub:
        settings = Settings(home=home, rate_limit=0, openai_base_url=stub.base_url, chat_model="stub")
        cw = Clausewise(settings, llm=chat_model(settings))
        with Served(cw) as client:
            events = []
            body = {"question": "How old must I be to open an account?", "stream": True}
            with client.stream("POST", "/v1/ask", json=body) as r:
                assert r.headers["content-type"].startswith("text/event-stream")
                name = None
                for line in r.iter_lines():
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        events.append((name, json.loads(line[6:])))
    assert [n for n, _ in events] == ["delta", "answer"]
    assert events[0][1]["text"].strip() == "At least 16. [1]"
    answer = events[-1][1]
    assert answer["mode"] == "llm" and answer["citations"][0]["clause_id"] == "acme-terms#1.1"


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    run = run_module("qa", "serve", "--host", "0.0.0.0", "--port", str(free_port()), home=tmp_path)
    assert run.returncode == 2 and "without CLAUSEWISE_API_TOKEN" in run.stderr


def test_openapi_docs_are_served(open_api: httpx.Client) -> None:
    spec = open_api.get("/openapi.json").json()
    assert {
        "/v1/ask",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/clauses/{clause_id}",
        "/v1/lookup",
        "/healthz",
    } <= set(spec["paths"])
    assert open_api.get("/docs").status_code == 200


def test_fixture_files_untouched() -> None:
    # The upload tests wrote only through the API, never into the fixture folder.
    assert sorted(p.name for p in FIXTURES.iterdir()) == ["acme-terms.txt", "globex-privacy.md"]
