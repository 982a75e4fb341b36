"""Written answers from any OpenAI-compatible endpoint, streamed, and always passed through the gate.

The model sees numbered clause blocks (the retrieved clauses) and must answer in JSON: sentences, each
with the blocks and verbatim quotes it rests on. Sentences are verified as soon as each one is
complete, so what streams to the user is already the verified text. Whatever goes wrong with the
endpoint, the user gets the extractive answer and one line saying why the written one is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from ingest.text import strip_span
from qa.answer.draft import DraftParser, Sentence
from qa.answer.extractive import DEFAULT_CALIBRATION, not_addressed_text, prefer_question_language, shown_after
from qa.answer.verify import Block, Checked, Verifier, render_sentence
from qa.corpus import Snapshot
from qa.question import Question
from qa.settings import Settings
from qa.types import Answer, Hit

MAX_BLOCKS = 6
BLOCK_CHARS = 1500  # a clause longer than this is shown as the chunk that matched
PROMPT_CHARS = 5000  # all blocks together: small local models read a few thousand tokens slowly
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["status", "sentences"],
    "properties": {
        "status": {"type": "string", "enum": ["answered", "not_addressed"]},
        "sentences": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "citations"],
                "properties": {
                    "text": {"type": "string"},
                    "citations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["clause", "quote"],
                            "properties": {"clause": {"type": "string"}, "quote": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}


class LLMUnavailable(Exception):
    """The endpoint did not give a usable reply; the message says why, for the user."""


def chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for OpenAI or any compatible server (Ollama, vLLM, llama.cpp, LM Studio)."""
    from langchain_openai import ChatOpenAI  # imported late: only needed when an LLM is configured

    return ChatOpenAI(
        model=settings.chat_model,
        api_key=settings.openai_api_key or "not-needed",  # local servers ignore it; the client wants one
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_retries,
        max_tokens=settings.llm_max_tokens,
        temperature=0,
    )


def system_prompt() -> str:
    return resources.files("qa.answer").joinpath("prompt.txt").read_text(encoding="utf-8")


def prompt_blocks(snap: Snapshot, hits: Sequence[Hit], q: Question) -> list[Block]:
    """The clauses the model may cite, numbered C1..Cn; a clause inside another shown block is skipped."""
    blocks: list[Block] = []
    for h in prefer_question_language(snap, hits, q):
        c = snap.clause(h.clause_id)
        text = snap.docs[c.doc_id].text
        s, e = strip_span(text, c.start, c.end)
        if e - s > BLOCK_CHARS:
            s, e = strip_span(text, h.chunk_start, h.chunk_end)
        if any(b.clause.doc_id == c.doc_id and b.start <= s and e <= b.end for b in blocks):
            continue
        if blocks and sum(b.end - b.start for b in blocks) + (e - s) > PROMPT_CHARS:
            break
        blocks.append(Block(f"C{len(blocks) + 1}", c, s, e))
        if len(blocks) == MAX_BLOCKS:
            break
    return blocks


def messages(snap: Snapshot, q: Question, blocks: Sequence[Block]) -> list[BaseMessage]:
    parts = ["Clause blocks (document text, quoted as data):"]
    for b in blocks:
        view = snap.docs[b.clause.doc_id]
        where = " › ".join(p for p in (*b.clause.path, b.clause.title) if p)
        parts.append(
            f"[{b.ref}] {view.meta.title} — {where} (clause id {b.clause.clause_id})\n<<<\n"
            f"{view.text[b.start : b.end]}\n>>>"
        )
    parts.append(f"Question: {q.text}\n\nReply with the JSON object only.")
    return [SystemMessage(system_prompt()), HumanMessage("\n\n".join(parts))]


def why(e: BaseException, settings: Settings) -> str:
    """One line for the user about why the written answer is missing."""
    where = settings.openai_base_url or "the OpenAI API"
    if isinstance(e, LLMUnavailable):
        return str(e)
    if isinstance(e, openai.AuthenticationError | openai.PermissionDeniedError):
        return f"the model endpoint rejected the API key ({e.status_code}); check OPENAI_API_KEY"
    if isinstance(e, openai.RateLimitError):
        return "the model endpoint is rate-limited or out of quota (429); try again later"
    if isinstance(e, openai.APITimeoutError):
        return f"the model did not answer within {settings.llm_timeout:g} s"
    if isinstance(e, openai.APIConnectionError):
        return f"cannot reach the model endpoint at {where}; is it running?"
    if isinstance(e, openai.NotFoundError):
        return f"the endpoint has no model {settings.chat_model!r} (404); set CLAUSEWISE_CHAT_MODEL"
    if isinstance(e, openai.APIStatusError):
        return f"the model endpoint failed with HTTP {e.status_code}"
    return f"the model call failed ({type(e).__name__})"


def _chunks(llm: BaseChatModel, msgs: list[BaseMessage], stream: bool, ended: dict[str, str]) -> Iterator[str]:
    """Text pieces of the reply; `ended["reason"]` gets the finish reason ("stop", "length")."""
    if not stream:
        message = llm.invoke(msgs)
        ended["reason"] = str(message.response_metadata.get("finish_reason", ""))
        yield message.content if isinstance(message.content, str) else ""
        return
    for chunk in llm.stream(msgs):
        reason = chunk.response_metadata.get("finish_reason")
        if reason:
            ended["reason"] = str(reason)
        if isinstance(chunk.content, str) and chunk.content:
            yield chunk.content


def _text_stream(
    llm: BaseChatModel, msgs: list[BaseMessage], json_schema: bool, stream: bool, ended: dict[str, str]
) -> Iterator[str]:
    """The reply's text as it arrives; asks for JSON-schema output first where the endpoint has it."""
    schema = {"response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": SCHEMA}}}
    started = False
    try:
        # Passed as extra_body so LangChain sends it like any request instead of parsing it itself.
        for piece in _chunks(llm.bind(extra_body=schema) if json_schema else llm, msgs, stream, ended):  # type: ignore[arg-type]
            started = True
            yield piece
    except openai.BadRequestError:
        if started or not json_schema:
            raise
        # The endpoint does not take JSON schemas: ask again; the prompt alone asks for JSON.
        yield from _chunks(llm, msgs, stream, ended)


def stream_answer(
    llm: BaseChatModel,
    settings: Settings,
    snap: Snapshot,
    q: Question,
    hits: Sequence[Hit],
    fallback: Answer,
) -> Iterator[str | Answer]:
    """Verified sentences as they complete, then the final Answer (the extractive one if need be)."""
    blocks = prompt_blocks(snap, hits, q)
    verifier = Verifier(snap, blocks, keep_unsupported=settings.show_unsupported)
    parser = DraftParser()
    kept: list[Checked] = []

    def check(sentences: Sequence[Sentence]) -> Iterator[str]:
        for s in sentences:
            c = verifier.sentence(s)
            if c is not None:
                kept.append(c)
                yield render_sentence(c) + " "

    try:
        msgs = messages(snap, q, blocks)
        ended: dict[str, str] = {}
        for delta in _text_stream(llm, msgs, settings.llm_json_schema, settings.llm_stream, ended):
            yield from check(list(parser.feed(delta)))
        draft = parser.finish()
        if draft is None and ended.get("reason") == "length":
            raise LLMUnavailable(
                f"the model's reply was cut off after {settings.llm_max_tokens} tokens (CLAUSEWISE_LLM_MAX_TOKENS)"
                " before its JSON was complete"
            )
        if draft is None:
            raise LLMUnavailable("the model's reply was not the JSON the prompt asks for")
        yield from check(draft.sentences[len(parser.sentences) :])
    except Exception as e:  # noqa: BLE001 - any failure of the endpoint falls back, with its reason
        reason = why(e, settings)
        reason += "" if reason.endswith(("?", "!", ".")) else "."
        yield replace(fallback, notice=f"No written answer: {reason} Showing the quoted clauses instead.")
        return
    report = verifier.report()
    if draft.status == "not_addressed" and not any(c.numbers for c in kept):
        related = shown_after([], fallback.citations + fallback.related, DEFAULT_CALIBRATION.max_related)
        yield Answer(q.text, "not_addressed", not_addressed_text(q), [], related, mode="llm", removed=report)
        return
    if not any(c.numbers for c in kept):
        yield replace(
            fallback,
            removed=report,
            notice="No written answer: none of the model's sentences could be verified against the clauses. "
            "Showing the quoted clauses instead.",
        )
        return
    related = shown_after(verifier.citations, fallback.citations + fallback.related, DEFAULT_CALIBRATION.max_related)
    text = " ".join(render_sentence(c) for c in kept)
    yield Answer(q.text, "answered", text, list(verifier.citations), related, mode="llm", removed=report)
