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
from streamlit.delta_generator import DeltaGenerator

from qa.chain import Clausewise
from qa.changes import changed_words
from qa.cite import without_heading_marks
from qa.errors import ClausewiseError
from qa.flags import is_terms
from qa.settings import Settings
from qa.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


_INDENT = re.compile(r"(?<=\n)[ \t]+(?=\S|\Z)")  # not a blank line's spaces


def _indented(text: str) -> str:
    """text with the indentation of each line after its first in non-breaking spaces (a piece of a text may
    begin within a line): an item indented four spaces or more (a nested list's) was shown as a block of
    code, its highlight's markup printed as it stands."""
    return _INDENT.sub(lambda m: _spaces(m.group()), text)


def _spaces(indent: str) -> str:
    return "\u00a0" * len(indent.expandtabs(4))


def md(text: str, headings: bool = False) -> str:
    """Document or model text made inert for Markdown: every special character escaped, each line's
    indentation kept as it shows, and a heading's line shown without its marks, as its page shows it;
    with headings, in bold, as its page sets it apart (the document's own view). The heading's words are
    held between two marks no text has while the rest is escaped."""
    plain = without_heading_marks(text, ("\x00", "\x01") if headings else None)
    out = _indented(_MD_SPECIAL.sub(r"\\\1", plain)).replace("\n", "  \n")
    return out.replace("\x00", "**").replace("\x01", "**") if headings else out


def _mark(text: str, strong: bool = True) -> str:
    # A highlight cannot span a line break in Streamlit Markdown: mark each line on its own, with
    # the line's outer spaces outside the markers (bold text may not start or end with a space).
    out = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        core = line.strip()
        if not core:
            # Spaces ending the piece are the indentation of a line the next piece goes on with.
            out.append(_spaces(line) if 0 < i == len(lines) - 1 else line)
            continue
        lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
        lead = _spaces(lead) if i else lead  # a line's indentation, as md() keeps it
        out.append(
            f"{lead}:orange-background[**{md(core)}**]{trail}"
            if strong
            else f"{lead}:gray-background[{md(core)}]{trail}"
        )
    return "\n".join(out)


def highlighted(
    text: str, start: int, end: int, lo: int, hi: int, focus: tuple[int, int] | None = None, strong: bool = True
) -> str:
    """text[lo:hi] as Markdown with text[start:end] highlighted: all of it, or where it has a focus
    (the words the answer quotes), those strongly and the rest of it lightly. Not strong: all of it
    lightly, as related reading is, which answers nothing."""
    s, e = max(start, lo), min(end, hi)
    if s >= e:
        return md(text[lo:hi], True)
    fs, fe = (max(focus[0], s), min(focus[1], e)) if focus else (s, e)
    if fs >= fe:
        fs, fe = s, e
    if not strong:
        fs = fe = e  # all of it lightly
    marked = _mark(text[s:fs], strong=False) + _mark(text[fs:fe]) + _mark(text[fe:e], strong=False)
    return f"{md(text[lo:s], True)}{marked.replace(chr(10), '  ' + chr(10))}{md(text[e:hi], True)}"


def marked_changes(new: str, old: str) -> str:
    """new as Markdown with the words old did not have highlighted."""
    out, pos = [], 0
    for s, e in changed_words(old, new):
        out += [md(new[pos:s]), _mark(new[s:e])]
        pos = e
    return "".join([*out, md(new[pos:])])


@st.cache_resource(show_spinner=False)
def engine(settings: Settings) -> Clausewise:
    # Keyed by the settings, so a changed environment (another LLM, another index) gets its own engine.
    return Clausewise(settings)


BUNDLED_EXAMPLES = "Try “Can Smartproxy freeze my account?” or “脉邦协议第三条”."
EXAMPLES_ASK_OF = {"smartproxy-user-service-agreement.txt", "maibang-scrm-user-service-agreement.txt"}

# In the home: it has held documents, so an empty index is one whose documents were removed, not a
# fresh machine's, and the bundled ones are not indexed again.
HELD_DOCUMENTS = "held-documents"


def ensure_index(cw: Clausewise, slot: DeltaGenerator) -> None:
    """On a fresh machine, index the bundled corpus with a visible progress bar, in `slot`."""
    held = Path(cw.settings.home) / HELD_DOCUMENTS
    if not cw.snapshot().docs and not held.exists():
        with slot.container():
            index_corpus(cw)
    if cw.snapshot().docs and not held.exists():
        held.parent.mkdir(parents=True, exist_ok=True)
        held.touch()


def index_corpus(cw: Clausewise) -> None:
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
    focus = {"focus_start": c.focus[0], "focus_end": c.focus[1]} if c.focus else {}
    return "?" + urlencode({"doc": c.doc_id, "start": c.start, "end": c.end, **focus})


CONTEXT_LINES = 2  # lines of the document shown before a cited passage; the rest sits in an expander
CONTEXT_CHARS = 400  # ...at most about this much of them: a page set as one paragraph is one line
# Not a clause's number ("4.8. Your Account is personal…"): the view began after it, the number hidden.
_SENTENCE_END = re.compile(r"(?<!\d)[.!?;。！？；]\s+")


def context_start(text: str, start: int) -> int:
    """Where the document view begins showing text before a passage at `start`: two lines above the
    passage's own line, or, where those hold more than CONTEXT_CHARS, the first sentence that begins
    within CONTEXT_CHARS of it. A page copied as one paragraph showed its top and left
    the highlighted passage thousands of pixels below, out of sight."""
    cut = start
    for _ in range(CONTEXT_LINES + 1):  # back to where the passage's line begins, then two more lines
        cut = text.rfind("\n", 0, max(0, cut - 1)) + 1
        while cut > 0 and not text[text.rfind("\n", 0, cut - 1) + 1 : cut].strip():
            cut = text.rfind("\n", 0, cut - 1) + 1  # blank lines do not count
    if start - cut <= CONTEXT_CHARS:
        return cut
    near = start - CONTEXT_CHARS
    sentence = _SENTENCE_END.search(text, near, start)
    return sentence.end() if sentence else max(text.find(" ", near, start) + 1, near)


@st.dialog("In the document", width="large")
def document_dialog(cw: Clausewise, doc_id: str, start: int, end: int, focus: tuple[int, int] | None) -> None:
    render_document(cw, doc_id, start, end, focus)


def render_document(cw: Clausewise, doc_id: str, start: int, end: int, focus: tuple[int, int] | None = None) -> None:
    """The whole document with the passage highlighted, the passage near the top of the view, and within it
    the words the answer quotes highlighted strongly, as in the chat: a unit of three table rows all in
    strong colour hid the row that answered."""
    view = cw.snapshot().docs.get(doc_id)
    if view is None:
        st.error(f"Document {doc_id!r} is not in the index (it may have been removed). Ask the question again.")
        return
    text = view.text
    st.subheader(view.meta.title)
    st.caption(f"{view.meta.source} · characters {start}–{end} highlighted")
    cut = context_start(text, start)
    if cut > 0:
        with st.expander(f"Beginning of the document ({cut} characters)"):
            st.markdown(md(text[:cut], True))
    st.markdown(highlighted(text, start, end, cut, len(text), focus))


def citation_label(c: Citation, same_path: bool = False) -> str:
    """A citation's title line: its document, heading path and page, and, where units of one section (or
    unnumbered paragraphs) would look alike, the first words of what it quotes (the words in focus, not
    the unit's first ones, which a reader then looked for in vain)."""
    said = c.quote[c.focus[0] - c.start : c.focus[1] - c.start] if c.focus else c.quote
    preview = f" — “{' '.join(said.split())[:40]}…”" if same_path or not (c.label or c.heading) else ""
    return f"[{c.n}] {c.title} — {' › '.join(c.path)}{on_page(c)}{preview}"


def on_page(c: Citation) -> str:
    return f" · p. {c.page}" if c.page else ""


def show_citation(c: Citation, cw: Clausewise, key: str, same_path: bool = False, answers: bool = True) -> None:
    """A citation, its words highlighted strongly where it answers (answers), lightly where it is related
    reading: after a decline, related clauses in the answer's orange read as the answer."""
    view = cw.snapshot().docs.get(c.doc_id)
    with st.expander(citation_label(c, same_path)):
        st.caption(f"{c.doc}{on_page(c)} · characters {c.start}–{c.end}")
        if view is None:
            st.markdown(md(c.quote))
            return
        clause_md = highlighted(view.text, c.start, c.end, c.clause_start, c.clause_end, c.focus, answers)
        if c.change:  # an answer about changes: the wording now, changed words marked, beside the old
            now, before = st.columns(2)
            now.caption(f"Now ({c.change})")
            now.markdown(marked_changes(c.quote, c.previous or ""))
            before.caption("Before")
            before.markdown(md(c.previous) if c.previous else "*(not in the earlier version)*")
        elif c.parallel is not None:
            left, right = st.columns(2)
            left.markdown(clause_md)
            right.markdown(md(c.parallel.quote))
        else:
            st.markdown(clause_md)
        if st.button("See it in the document", key=f"doc-{key}-{c.n}"):
            document_dialog(cw, c.doc_id, c.start, c.end, c.focus)
        st.caption(f"[Open the document in a new tab]({doc_link(c)})")


def show_answer(a: Answer, cw: Clausewise, key: str) -> None:
    if a.follows:
        docs = cw.snapshot().docs
        names = ", ".join(docs[d].meta.title for d in a.scope if d in docs)
        st.caption(f"Read with your previous question, “{md(a.follows)}”, asked of {md(names)}.")
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
        st.caption("Sections to read:" if a.kind == "outline" else "Related clauses — nearby, but not an answer:")
        for c in a.related:
            show_citation(c, cw, key, paths[tuple(c.path)] > 1, answers=False)


LEVEL_COLOURS = {"clearly unfair": "red", "potentially unfair": "orange"}


def watch_panel(cw: Clausewise, scope: list[str]) -> None:
    """ "What to watch out for": one document's flagged clauses, most serious first, each cited."""
    snap = cw.snapshot()
    ids = sorted(snap.docs, key=lambda d: snap.docs[d].meta.title)
    # A toggle, not an expander: each flag is itself an expandable citation, and expanders do not nest.
    if not ids or not st.toggle("What to watch out for", key="watch"):
        return
    with st.container(border=True):
        first = ids.index(scope[0]) if scope and scope[0] in ids else 0
        doc_id = st.selectbox(
            "Document", ids, index=first, format_func=lambda d: snap.docs[d].meta.title, key="watch-doc"
        )
        try:
            _, found = cw.flags(doc_id)
        except ClausewiseError as e:
            st.warning(f"{e}")
            return
        if not found and not is_terms(snap, doc_id):
            st.info(
                "Risk flags cover consumer terms of service; this document is not one (a privacy policy or a contract between businesses)."
            )
        elif not found:
            st.info("No clause of the types consumer law watches was found in this document.")
        for f in found:
            colour = LEVEL_COLOURS.get(f.level_name, "gray")
            st.markdown(f":{colour}[**{f.level_name}**] · {md(', '.join(f.type_names))} · {f.confidence:.0%} sure")
            show_citation(f.citation, cw, f"flag-{doc_id}")
        st.caption(
            "Clause types and fairness levels follow CLAUDETTE (Lippi et al., 2019), learned from lawyers' "
            "labels. They are a model's reading of the text, not legal advice."
        )


UPLOAD_TYPES = ["pdf", "html", "htm", "docx", "txt", "md", "markdown"]


def among(name: str, i: int, n: int) -> str:
    """A file's name as its progress bar says it: four files added at once took two minutes, and each
    says where it stands among them."""
    return f"{name} (file {i} of {n})" if n > 1 else name


def add_documents(cw: Clausewise) -> None:
    """Files and a URL from the sidebar, indexed with a progress bar; each outcome is said once."""
    done: dict[str, str] = st.session_state.setdefault("indexed", {})
    files = st.sidebar.file_uploader(
        "Add documents",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        help="PDF, web page (HTML), Word (DOCX), text or Markdown",
    )
    with st.sidebar.form("add-url", clear_on_submit=True, border=False):
        url = st.text_input("…or a web address", placeholder="https://example.com/terms")
        fetch = st.form_submit_button("Fetch and index")
    todo: list[tuple[str, object]] = [(f"{f.file_id}", f) for f in files or [] if f.file_id not in done]
    if fetch and url.strip():
        todo.append((url.strip(), url.strip()))
    for i, (key, item) in enumerate(todo, 1):
        name = item if isinstance(item, str) else item.name  # type: ignore[attr-defined]
        shown = among(name, i, len(todo))
        bar = st.sidebar.progress(0.0, text=f"Reading {shown}…")

        def progress(n: int, total: int, _label: str, bar: object = bar, shown: str = shown) -> None:
            bar.progress(n / total if total else 1.0, text=f"Indexing {shown}: {n}/{total} units")  # type: ignore[attr-defined]

        try:
            if isinstance(item, str):
                status, doc = cw.ingest_url(item, progress)
            else:
                # The loaders refuse files over their limit (20 MiB) with one line saying so.
                status, doc = cw.ingest_upload(item.getvalue(), name, progress)  # type: ignore[attr-defined]
            done[key] = f"{doc.title}: {status}"
        except ClausewiseError as e:
            done[key] = f"error: {e}"
        bar.empty()
    if todo:  # the latest batch's outcomes stay in view until the next batch
        st.session_state.last_added = [done[k] for k, _ in todo]
    for outcome in st.session_state.get("last_added", []):
        (st.sidebar.error if outcome.startswith("error:") else st.sidebar.success)(md(outcome))


def counted(n: int, noun: str) -> str:
    """ "1 clause", "30 clauses"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def remove_documents(cw: Clausewise, titles: dict[str, str]) -> None:
    """Documents taken out of the index: chosen, then removed with a second click (an uploaded document
    is only in the index)."""
    with st.sidebar.expander("Remove documents"):
        gone = st.multiselect("Documents to remove", sorted(titles), placeholder="Choose documents")
        # The count on the button: typed letters and Enter choose every title that matches them.
        label = f"Remove {counted(len(gone), 'document')} from the index" if gone else "Remove from the index"
        if st.button(label, disabled=not gone, type="primary"):
            for title in gone:
                cw.delete(titles[title])
            st.session_state.last_added = [f"{title}: removed" for title in gone]
            st.rerun()


def sidebar(cw: Clausewise) -> list[str]:
    add_documents(cw)
    snap = cw.snapshot()
    st.sidebar.header("Documents")
    for d in sorted(snap.docs.values(), key=lambda d: d.meta.title):
        where = d.meta.source_url or d.meta.source
        pages = f" · {counted(len(d.meta.pages), 'page')}" if d.meta.pages else ""
        st.sidebar.markdown(f"**{md(d.meta.title)}**  \n{counted(len(d.clauses), 'clause')}{pages} · {md(where)}")
    titles = {d.meta.title: d.doc_id for d in snap.docs.values()}
    picked = st.sidebar.multiselect("Ask only these documents", sorted(titles), help="Empty means all documents")
    if st.sidebar.button("Clear chat"):
        st.session_state.messages = []
    if titles:
        remove_documents(cw, titles)
    return [titles[t] for t in picked]


def main() -> None:
    st.set_page_config(page_title="Clausewise", page_icon="§")
    # The first start's progress has a place on every run: drawn on one run only, it moved what follows
    # down one place, and while the next run was busy (a file being indexed) the page showed its
    # elements twice, the old ones faded.
    first_start = st.empty()
    try:
        cw = engine(Settings.from_env())
        ensure_index(cw, first_start)
    except ClausewiseError as e:
        st.error(f"{e}")
        st.stop()
    params = st.query_params
    if "doc" in params:
        try:
            focus = (int(params["focus_start"]), int(params["focus_end"])) if "focus_start" in params else None
            render_document(cw, params["doc"], int(params.get("start", 0)), int(params.get("end", 0)), focus)
        except ValueError:
            st.error("That document link is malformed; go back to the chat and open the citation again.")
        return
    st.title("Clausewise")
    # The examples ask about two bundled documents: once those are removed, they would ask about nothing.
    shown = {d.meta.source for d in cw.snapshot().docs.values()}
    examples = f" {BUNDLED_EXAMPLES}" if shown >= EXAMPLES_ASK_OF else ""
    st.caption(f"Ask about the terms and policies; every answer quotes the exact clause it rests on.{examples}")
    scope = sidebar(cw)
    if not cw.snapshot().docs:
        st.info("No documents are indexed. Add a file or a web address in the sidebar to ask about it.")
        return
    watch_panel(cw, scope)
    if "messages" not in st.session_state:
        st.session_state.messages = []
    messages: list[dict] = st.session_state.messages
    if prompt := st.chat_input("Ask about the terms…"):
        messages.append({"role": "user", "content": prompt, "scope": scope})
    # Every question gets its answer, in order. A question typed while an answer was being written
    # stops that run; the question it interrupted is still unanswered here, so it is answered first.
    earlier: str | None = None  # what the last answer answered, for a follow-up ("And the App?")
    i = 0
    while i < len(messages):
        m = messages[i]
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(md(m["content"]))
            elif "error" in m:
                st.error(m["error"])
            else:
                show_answer(m["answer"], cw, str(i))
        if m["role"] == "user" and (i + 1 == len(messages) or messages[i + 1]["role"] != "assistant"):
            messages.insert(i + 1, answer_now(cw, m["content"], m.get("scope") or [], str(i + 1), earlier))
            i += 1  # shown as it was written
            m = messages[i]
        if "answer" in m:
            earlier = m["answer"].follows or m["answer"].question
        i += 1


def answer_now(cw: Clausewise, prompt: str, scope: list[str], key: str, earlier: str | None = None) -> dict:
    """Answer in the chat as it is written; the message to keep (the answer, or what went wrong)."""
    with st.chat_message("assistant"):
        final: list[Answer] = []

        def written() -> Iterator[str]:
            for event in cw.ask_stream(prompt, scope or None, earlier):
                if isinstance(event, Answer):
                    final.append(event)
                else:  # already verified: the gate checks each sentence before it streams
                    yield md(event)

        live = st.empty()
        try:
            with (
                live.container(),
                st.spinner("Finding the clauses…" if cw.llm is None else "Reading the clauses and writing an answer…"),
            ):
                st.write_stream(written())
        except ClausewiseError as e:
            live.empty()
            st.error(f"{e}")
            return {"role": "assistant", "error": f"{e}"}
        live.empty()  # the final answer, with its citations, replaces the live text
        show_answer(final[-1], cw, key)
        return {"role": "assistant", "answer": final[-1]}


if __name__ == "__main__":  # streamlit runs the script as __main__; tests import the helpers
    main()
