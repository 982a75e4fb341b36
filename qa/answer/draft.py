"""The model's draft answer: sentences with the clauses and quotes they claim, parsed from JSON.

The reply may arrive token by token, wrapped in code fences or after some prose; `DraftParser`
yields each sentence as soon as its JSON object is complete, and `parse_draft` reads a whole reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Claim:
    clause: str  # as the model wrote it: "C2", "2", "[2]" or a clause id
    quote: str


@dataclass(frozen=True)
class Sentence:
    text: str
    claims: tuple[Claim, ...]


@dataclass
class Draft:
    status: str = "answered"
    sentences: list[Sentence] = field(default_factory=list)


_DECODER = json.JSONDecoder()
_SENTENCES_KEY = re.compile(r'"sentences"\s*:\s*\[')
_STATUS = re.compile(r'"status"\s*:\s*"(answered|not_addressed)"')


def _sentence(obj: Any) -> Sentence | None:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return None
    claims = []
    cites = obj.get("citations") or obj.get("sources") or []
    for c in cites if isinstance(cites, list) else []:
        if isinstance(c, dict) and isinstance(c.get("quote"), str):
            claims.append(Claim(str(c.get("clause", c.get("id", ""))), c["quote"]))
    return Sentence(obj["text"].strip(), tuple(claims))


class DraftParser:
    """Feed text as it streams in; sentences come out as soon as each one is complete."""

    def __init__(self) -> None:
        self.buf = ""
        self.pos: int | None = None  # inside the sentences array, where the next item starts
        self.done = False
        self.sentences: list[Sentence] = []

    def feed(self, text: str) -> Iterator[Sentence]:
        self.buf += text
        if self.pos is None:
            m = _SENTENCES_KEY.search(self.buf)
            if not m:
                return
            self.pos = m.end()
        while not self.done:
            i = self.pos
            while i < len(self.buf) and self.buf[i] in " \t\r\n,":
                i += 1
            if i >= len(self.buf):
                return
            if self.buf[i] == "]":
                self.done = True
                return
            try:
                obj, end = _DECODER.raw_decode(self.buf, i)
            except json.JSONDecodeError:
                return  # the object is not complete yet
            self.pos = end
            s = _sentence(obj)
            if s is not None:
                self.sentences.append(s)
                yield s

    def finish(self) -> Draft | None:
        """The whole draft, or None when the reply held no usable JSON."""
        whole = parse_draft(self.buf)
        if whole is not None and len(whole.sentences) >= len(self.sentences):
            return whole
        if self.sentences:
            m = _STATUS.search(self.buf)
            return Draft(m.group(1) if m else "answered", list(self.sentences))
        return whole


def parse_draft(raw: str) -> Draft | None:
    """Read a complete reply: a JSON object (or a bare list of sentences), fenced or after prose."""
    text = re.sub(r"```(?:json|JSON)?", "", raw)
    for start in [m.start() for m in re.finditer(r"[{\[]", text)][:20]:
        try:
            obj, _ = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, list):
            obj = {"sentences": obj}
        if not isinstance(obj, dict) or not ("sentences" in obj or "status" in obj):
            continue
        items = obj.get("sentences")
        sentences = [s for s in (_sentence(o) for o in items) if s is not None] if isinstance(items, list) else []
        status = obj.get("status") if obj.get("status") in ("answered", "not_addressed") else "answered"
        return Draft(status, sentences)
    return None
