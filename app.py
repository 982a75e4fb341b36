"""Clausewise chat: ask the indexed terms and policies a question, get cited clauses.

Run with `streamlit run app.py`. All logic lives in qa/; this file only draws it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from qa.chain import Clausewise
from qa.errors import ClausewiseError
from qa.settings import Settings
from qa.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md(text: str) -> str:
    """Document or model text made inert for Markdown: every special character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _mark(text: str) -> str:
    # A highlight cannot span a line break in Streamlit Markdown: mark each line on its own, with
    # the line's outer spaces outside the markers (bold text may not start or end with a space).
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
        out.append(f"{lead}:orange-background[**{md(core)}**]{trail}")
    return "\n".join(out)


def highlighted(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """text[lo:hi] as Markdown with text[start:end] highlighted."""
    s, e = max(start, lo), min(end, hi)
    if s >= e:
        return md(text[lo:hi])
    return f"{md(text[lo:s])}{_mark(text[s:e]).replace(chr(10), '  ' + chr(10))}{md(text[e:hi])}"


@st.cache_resource(show_spinner=False)
def engine(settings: Settings) -> Clausewise:
    # Keyed by the settings, so a changed environment (another LLM, another index) gets its own engine.
    return Clausewise(settings)


def ensure_index(cw: Clausewise) -> None:
    """On a fresh machine, index the bundled corpus with a visible progress bar."""
    if cw.snapshot().docs:
        return
    corpus = Path(cw.settings.corpus)
    if not corpus.is_dir():
        st.error(
            f"No documents are indexed and the corpus folder {corpus} does not exist. "
            "Run `python -m ingest PATH...` to index documents."
        )
        st.stop()
    bar = st.progress(0.0, text="Indexing the bundled documents…")

    def progress(done: int, total: int, label: str) -> None:
        bar.progress(done / total if total else 1.0, text=f"Indexing {label}: {done}/{total} chunks")

    report = cw.ingest([corpus], progress)
    bar.empty()
    for path, reason in report.failed:
        st.warning(f"Skipped {path}: {reason}")


def doc_link(c: Citation) -> str:
    return "?" + urlencode({"doc": c.doc_id, "start": c.start, "end": c.end})


CONTEXT_LINES = 2  # lines of the document shown before a cited passage; the rest sits in an expander


@st.dialog("In the document", width="large")
def document_dialog(cw: Clausewise, doc_id: str, start: int, end: int) -> None:
    render_document(cw, doc_id, start, end)


def render_document(cw: Clausewise, doc_id: str, start: int, end: int) -> None:
    """The whole document with the passage highlighted, the passage near the top of the view."""
    view = cw.snapshot().docs.get(doc_id)
    if view is None:
        st.error(f"Document {doc_id!r} is not in the index (it may have been removed). Ask the question again.")
        return
    text = view.text
    st.subheader(view.meta.title)
    st.caption(f"{view.meta.source} · characters {start}–{end} highlighted")
    cut = start
    for _ in range(CONTEXT_LINES + 1):  # back to the start of the passage's line, then two more lines
        cut = text.rfind("\n", 0, max(0, cut - 1)) + 1
        while cut > 0 and not text[text.rfind("\n", 0, cut - 1) + 1 : cut].strip():
            cut = text.rfind("\n", 0, cut - 1) + 1  # blank lines do not count

    if cut > 0:
        with st.expander(f"Beginning of the document ({cut} characters)"):
            st.markdown(md(text[:cut]))
    st.markdown(highlighted(text, start, end, cut, len(text)))


def show_citation(c: Citation, cw: Clausewise, key: str, same_path: bool = False) -> None:
    view = cw.snapshot().docs.get(c.doc_id)
    # Units of one section (or unnumbered paragraphs) would look alike: their first words tell them apart.
    preview = f" — “{' '.join(c.quote.split())[:40]}…”" if same_path or not (c.label or c.heading) else ""
    with st.expander(f"[{c.n}] {c.title} — {' › '.join(c.path)}{preview}"):
        st.caption(f"{c.doc} · characters {c.start}–{c.end}")
        if view is None:
            st.markdown(md(c.quote))
            return
        clause_md = highlighted(view.text, c.start, c.end, c.clause_start, c.clause_end)
        if c.parallel is not None:
            left, right = st.columns(2)
            left.markdown(clause_md)
            right.markdown(md(c.parallel.quote))
        else:
            st.markdown(clause_md)
        if st.button("See it in the document", key=f"doc-{key}-{c.n}"):
            document_dialog(cw, c.doc_id, c.start, c.end)
        st.caption(f"[Open the document in a new tab]({doc_link(c)})")


def show_answer(a: Answer, cw: Clausewise, key: str) -> None:
    if a.notice:
        st.warning(a.notice)
    if a.status == "not_addressed":
        st.info(a.text)
    else:
        st.markdown(md(a.text))
    removed = a.removed.get("sentences", 0) if a.mode == "llm" else 0
    if removed:
        st.caption(
            "1 sentence of the model's draft was left out: it had no quote found in the clauses."
            if removed == 1
            else f"{removed} sentences of the model's draft were left out: they had no quote found in the clauses."
        )
    paths = Counter(tuple(c.path) for c in (*a.citations, *a.related))
    for c in a.citations:
        show_citation(c, cw, key, paths[tuple(c.path)] > 1)
    if a.related:
        st.caption("Related clauses — nearby, but not an answer:")
        for c in a.related:
            show_citation(c, cw, key, paths[tuple(c.path)] > 1)


def sidebar(cw: Clausewise) -> list[str]:
    snap = cw.snapshot()
    st.sidebar.header("Documents")
    for d in sorted(snap.docs.values(), key=lambda d: d.meta.title):
        st.sidebar.markdown(f"**{md(d.meta.title)}**  \n{len(d.clauses)} clauses · {md(d.meta.source)}")
    titles = {d.meta.title: d.doc_id for d in snap.docs.values()}
    picked = st.sidebar.multiselect("Ask only these documents", sorted(titles), help="Empty means all documents")
    if st.sidebar.button("Clear chat"):
        st.session_state.messages = []
    return [titles[t] for t in picked]


def main() -> None:
    st.set_page_config(page_title="Clausewise", page_icon="§")
    try:
        cw = engine(Settings.from_env())
        ensure_index(cw)
    except ClausewiseError as e:
        st.error(f"{e}")
        st.stop()
    params = st.query_params
    if "doc" in params:
        try:
            render_document(cw, params["doc"], int(params.get("start", 0)), int(params.get("end", 0)))
        except ValueError:
            st.error("That document link is malformed; go back to the chat and open the citation again.")
        return
    st.title("Clausewise")
    st.caption(
        "Ask about the terms and policies; every answer quotes the exact clause it rests on. "
        "Try “Can Smartproxy freeze my account?” or “脉邦协议第三条”."
    )
    scope = sidebar(cw)
    if "messages" not in st.session_state:
        st.session_state.messages = []
    for i, m in enumerate(st.session_state.messages):
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(md(m["content"]))
            else:
                show_answer(m["answer"], cw, str(i))
    if prompt := st.chat_input("Ask about the terms…"):
        st.session_state.messages.append({"role": "user", "content": prompt})
        with st.chat_message("user"):
            st.markdown(md(prompt))
        with st.chat_message("assistant"):
            final: list[Answer] = []

            def written() -> Iterator[str]:
                for event in cw.ask_stream(prompt, scope or None):
                    if isinstance(event, Answer):
                        final.append(event)
                    else:  # already verified: the gate checks each sentence before it streams
                        yield md(event)

            live = st.empty()
            try:
                with (
                    live.container(),
                    st.spinner(
                        "Finding the clauses…" if cw.llm is None else "Reading the clauses and writing an answer…"
                    ),
                ):
                    st.write_stream(written())
            except ClausewiseError as e:
                live.empty()
                st.error(f"{e}")
                return
            live.empty()  # the final answer, with its citations, replaces the live text
            a = final[-1]
            show_answer(a, cw, str(len(st.session_state.messages)))
        st.session_state.messages.append({"role": "assistant", "answer": a})


if __name__ == "__main__":  # streamlit runs the script as __main__; tests import the helpers
    main()
