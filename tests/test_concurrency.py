"""Answering while ingesting: several threads ask while one replaces a document again and again."""

from __future__ import annotations

import threading
from pathlib import Path

from qa.chain import Clausewise
from qa.settings import Settings

from .conftest import FIXTURES

V1 = (
    "Initech Terms\n\n1. Fees\n\n1.1 The monthly fee is 20 euros, billed in advance.\n\n2. Refunds\n\n2.1 No refunds.\n"
)
# Version 2 inserts a clause first, so every offset after it moves: a mixed read could not match.
V2 = (
    "Initech Terms\n\n1. Fees\n\n1.1 Prices include VAT where it applies.\n"
    "1.2 The monthly fee is 25 euros, billed in advance.\n\n2. Refunds\n\n2.1 Refunds within 7 days.\n"
)


def test_readers_see_the_old_or_the_new_version_never_a_mix(tmp_path: Path) -> None:
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([FIXTURES]).ok
    cw.ingest_upload(V1.encode(), "initech-terms.txt")
    stop = threading.Event()
    problems: list[str] = []
    answers = 0

    def reader() -> None:
        nonlocal answers
        while not stop.is_set():
            try:
                snap = cw.snapshot()
                for c in snap.chunks:
                    if snap.docs[c.doc_id].text[c.start : c.end] != c.text:
                        problems.append(f"chunk {c.chunk_id} does not match its document's text")
                for q in ("What is the Initech monthly fee?", "Can I get a refund from Initech?"):
                    a = cw.ask(q)
                    answers += 1
                    for c in a.citations + a.related:
                        if c.doc_id == "initech-terms" and c.quote not in (V1[c.start : c.end], V2[c.start : c.end]):
                            problems.append(f"{q}: quote {c.quote!r} is from neither version at {c.start}-{c.end}")
            except Exception as e:  # noqa: BLE001 - any failure in a reader is the finding
                problems.append(f"{type(e).__name__}: {e}")

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for t in readers:
        t.start()
    statuses = []
    try:
        for i in range(6):
            statuses.append(cw.ingest_upload((V2 if i % 2 == 0 else V1).encode(), "initech-terms.txt")[0])
    finally:
        stop.set()
        for t in readers:
            t.join(60)
    assert statuses == ["replaced"] * 6
    assert not problems, problems[:5]
    assert answers >= 8
    assert cw.store.remove_orphans() == 0
