"""The HTTP API (`python -m qa serve`): the same answers and JSON shapes as the CLI, for many users.

Every endpoint but /healthz needs `Authorization: Bearer <CLAUSEWISE_API_TOKEN>` when a token is
set. Errors are JSON `{"error": {"code", "message"}}` with a 4xx status the client can act on;
nothing internal (no stack trace) ever reaches a client.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field

from ingest.errors import ClausewiseError, LoadError
from qa.chain import MAX_QUESTION_CHARS, Clausewise
from qa.clause_types import TYPES, clause_types
from qa.errors import BadQuestion, IndexEmpty, NoFlags, NoVersions, UnknownDocument
from qa.types import Answer

log = logging.getLogger("clausewise.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class AskRequest(BaseModel):
    question: str = Field(description="the question, in any language", max_length=MAX_QUESTION_CHARS)
    documents: list[str] | None = Field(None, description="limit to these documents (ids, file names or names)")
    stream: bool = Field(False, description="answer as server-sent events: text deltas, then the answer")
    previous: str | None = Field(
        None,
        description="the question asked before in the conversation: a question that only names documents "
        "('And the App?') asks it again of them",
        max_length=MAX_QUESTION_CHARS,
    )


class RateLimiter:
    """`per_minute` requests per client within any sliding window (the `limits` library's moving window,
    kept in memory, where idle clients expire). A fraction stretches the window: 0.5 per minute is one
    request every two minutes. 0 turns the limit off."""

    def __init__(self, per_minute: float) -> None:
        self.item: RateLimitItem | None = None
        if per_minute > 0:
            amount = max(1, round(per_minute))
            self.item = RateLimitItemPerSecond(amount, max(1, round(60 * amount / per_minute)))
            self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        if self.item is None or self.limiter.hit(self.item, key):
            return 0.0
        return max(self.limiter.get_window_stats(self.item, key).reset_time - time.time(), 0.001)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request body over its limit while it arrives, not after: a client announcing 300 MB
    gets 413 before sending a byte of it, and one that streams without a length is cut off at the limit.

    Pure ASGI, so it sees the body before FastAPI's form parser spools it to disk.
    """

    def __init__(self, app: Any, limit_for: Any) -> None:
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit, what = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"").decode()
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(send, what)
            return
        seen, over, started = 0, False, False

        async def counted() -> dict[str, Any]:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                over = True
                raise BodyTooLarge()
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal started
            if over:  # the form parser turned our exception into its own 400: answer 413 instead
                return
            started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):  # when the app let it through, we answer below
            await self.app(scope, counted, guarded_send)
        if over and not started:
            await self._refuse(send, what)

    @staticmethod
    async def _refuse(send: Any, what: str) -> None:
        body = json.dumps({"error": {"code": "too_large", "message": what}}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _status_of(e: ClausewiseError) -> tuple[int, str]:
    if isinstance(e, UnknownDocument):
        return 404, "unknown_document"
    if isinstance(e, BadQuestion):
        return 400, "bad_question"
    if isinstance(e, IndexEmpty):
        return 409, "index_empty"
    if isinstance(e, NoVersions):
        return 409, "no_versions"
    if isinstance(e, NoFlags):
        return 503, "no_flags"
    if isinstance(e, LoadError):
        return (415, "unsupported_type") if "unsupported file type" in str(e) else (400, "bad_document")
    return 500, "clausewise_error"


def create_app(cw: Clausewise) -> FastAPI:
    settings = cw.settings
    limiter = RateLimiter(settings.rate_limit)
    app = FastAPI(
        title="Clausewise API",
        version="1",
        description="Questions about terms of service and privacy policies, answered with exact, cited clauses.",
    )

    upload_limit = int(settings.max_upload_mb * 1024 * 1024)

    def body_limit(path: str) -> tuple[int, str]:
        if path.rstrip("/") == "/v1/documents":
            # room for the multipart envelope; the file itself is held to the exact limit below
            return upload_limit + 64 * 1024, f"the file is larger than {settings.max_upload_mb:g} MiB"
        return 64 * 1024, "the request body is larger than 64 KiB"

    app.add_middleware(BodyLimit, limit_for=body_limit)

    def guard(request: Request) -> None:
        token = settings.api_token
        given = ""
        if token:
            header = request.headers.get("authorization", "")
            scheme, _, given = header.partition(" ")
            # compare_digest takes the same time wherever the strings differ
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
                raise ApiError(
                    401, "unauthorized", "send Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"}
                )
        client = given or (request.client.host if request.client else "unknown")
        wait = limiter.check(client)
        if wait > 0:
            raise ApiError(
                429, "rate_limited", f"too many requests; retry in {wait:.1f} s", {"Retry-After": str(int(wait) + 1)}
            )

    @app.exception_handler(ApiError)
    def _api_error(_: Request, e: ApiError) -> JSONResponse:
        return _error(e.status, e.code, e.message, e.headers)

    @app.exception_handler(ClausewiseError)
    def _domain_error(_: Request, e: ClausewiseError) -> JSONResponse:
        status, code = _status_of(e)
        return _error(status, code, str(e))

    @app.exception_handler(RequestValidationError)
    def _invalid(_: Request, e: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ())[1:]) or 'body'}: {err.get('msg')}" for err in e.errors()
        )
        return _error(422, "invalid_request", problems or "the request body is not valid JSON of the expected shape")

    @app.exception_handler(Exception)
    def _unexpected(_: Request, e: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal_error", "something went wrong on the server; the error was logged")

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "documents": len(cw.snapshot().docs)}

    @app.post("/v1/ask", tags=["questions"], dependencies=[Depends(guard)], response_model=None)
    def ask(body: AskRequest) -> Any:
        if not body.stream:
            return cw.ask(body.question, body.documents, body.previous).to_json()
        events = cw.ask_stream(body.question, body.documents, body.previous)
        first = next(events)  # errors in the question itself surface as a plain 4xx, before streaming

        def sse() -> Iterator[str]:
            try:
                for event in _chain([first], events):
                    if isinstance(event, Answer):
                        yield f"event: answer\ndata: {json.dumps(event.to_json(), ensure_ascii=False)}\n\n"
                    else:
                        yield f"event: delta\ndata: {json.dumps({'text': event}, ensure_ascii=False)}\n\n"
            except Exception as e:  # noqa: BLE001 - the stream is open: report the error as an event
                log.exception("error while streaming")
                msg = str(e) if isinstance(e, ClausewiseError) else "something went wrong on the server"
                yield f"event: error\ndata: {json.dumps({'message': msg})}\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @app.get("/v1/lookup", tags=["questions"], dependencies=[Depends(guard)])
    def lookup(
        q: str = Query(..., max_length=MAX_QUESTION_CHARS, description="e.g. 'smartproxy 3.1.2'"),
        documents: list[str] | None = Query(None),
    ) -> dict[str, Any]:
        found = cw.lookup(q, documents)
        if found is None:
            raise ApiError(
                404, "no_clause", f"no clause matches {q!r}; give a number such as 3.1.2 and a document name"
            )
        return found.to_json()

    @app.get("/v1/documents", tags=["documents"], dependencies=[Depends(guard)])
    def documents() -> dict[str, Any]:
        snap = cw.snapshot()
        return {"documents": [_doc_json(v.meta, len(v.clauses)) for v in snap.docs.values()]}

    @app.post("/v1/documents", tags=["documents"], dependencies=[Depends(guard)], status_code=201)
    def upload(
        response: Response,
        file: UploadFile | None = File(None, description="a PDF, HTML, DOCX, .txt or .md file"),
        url: str | None = Form(None, description="or an http(s) address to fetch the document from"),
    ) -> Any:
        if (file is None) == (not url):
            raise ApiError(400, "bad_document", "send either a file (multipart field 'file') or a 'url', not both")
        if file is not None:
            raw = file.file.read(upload_limit + 1)
            if len(raw) > upload_limit:
                raise ApiError(413, "too_large", f"the file is larger than {settings.max_upload_mb:g} MiB")
            status, doc = cw.ingest_upload(raw, file.filename or "upload.txt")
        else:
            status, doc = cw.ingest_url(url or "")
        if status == "unchanged":
            response.status_code = 200
        view = cw.snapshot().docs[doc.doc_id]
        return {"status": status, "document": _doc_json(view.meta, len(view.clauses))}

    @app.get("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(guard)])
    def document(doc_id: str) -> dict[str, Any]:
        view = cw.snapshot().docs.get(doc_id)
        if view is None:
            raise ApiError(404, "unknown_document", f"no document {doc_id!r}")
        outline = [
            {
                "clause_id": c.clause_id,
                "label": c.label,
                "heading": c.heading,
                "path": list(c.path),
                "depth": c.depth,
                "start": c.start,
                "end": c.end,
                "parallel_id": c.parallel_id,
            }
            for c in view.clauses.values()
        ]
        versions = [
            {"version": v.version, "sha256": v.sha256, "ingested_at": v.ingested_at, "source": v.source}
            for v in cw.store.document_versions(doc_id)
        ]
        return {**_doc_json(view.meta, len(view.clauses)), "text": view.text, "outline": outline, "versions": versions}

    @app.get("/v1/documents/{doc_id}/changes", tags=["documents"], dependencies=[Depends(guard)])
    def changes(
        doc_id: str,
        from_version: int | None = Query(None, alias="from", ge=1),
        to_version: int | None = Query(None, alias="to", ge=1),
    ) -> dict[str, Any]:
        if doc_id not in cw.snapshot().docs:
            raise ApiError(404, "unknown_document", f"no document {doc_id!r}")
        return cw.changes(doc_id, from_version, to_version).to_json()

    @app.get("/v1/documents/{doc_id}/flags", tags=["documents"], dependencies=[Depends(guard)])
    def flags(doc_id: str) -> dict[str, Any]:
        """The clauses to watch out for, most serious first: CLAUDETTE's clause types with a fairness level."""
        view = cw.snapshot().docs.get(doc_id)
        if view is None:
            raise ApiError(404, "unknown_document", f"no document {doc_id!r}")
        _, found = cw.flags(doc_id)
        return {
            "doc": view.meta.source,
            "doc_id": doc_id,
            "title": view.meta.title,
            "flags": [f.to_json() for f in found],
        }

    @app.delete("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(guard)], status_code=204)
    def delete(doc_id: str) -> Response:
        if not cw.delete(doc_id):
            raise ApiError(404, "unknown_document", f"no document {doc_id!r}")
        return Response(status_code=204)

    @app.get("/v1/clauses/{clause_id}", tags=["documents"], dependencies=[Depends(guard)])
    def clause(clause_id: str) -> dict[str, Any]:
        snap = cw.snapshot()
        view = snap.docs.get(clause_id.split("#", 1)[0])
        c = view.clauses.get(clause_id) if view else None
        if view is None or c is None:
            raise ApiError(404, "unknown_clause", f"no clause {clause_id!r}")
        return {
            "clause_id": c.clause_id,
            "doc": view.meta.source,
            "label": c.label,
            "heading": c.heading,
            "path": list(c.path),
            "start": c.start,
            "end": c.end,
            "text": view.text[c.start : c.end],
            "lang": c.lang,
            "parallel_id": c.parallel_id,
            "children": list(c.children),
            "types": [
                {"type": k, "name": TYPES[k].name, "probability": round(p, 3)}
                for k, p in clause_types(snap, c.clause_id)
            ],
        }

    return app


def _chain(*iterables: Any) -> Iterator[Any]:
    for it in iterables:
        yield from it


def _doc_json(meta: Any, n_clauses: int) -> dict[str, Any]:
    return {
        "id": meta.doc_id,
        "title": meta.title,
        "source": meta.source,
        "sha256": meta.sha256,
        "lang": meta.lang,
        "clauses": n_clauses,
        "chunks": meta.n_chunks,
        "ingested_at": meta.ingested_at,
        "pages": len(meta.pages),
        "version": meta.version,
        "source_url": meta.source_url or None,
        "fetched_at": meta.fetched_at or None,
    }
