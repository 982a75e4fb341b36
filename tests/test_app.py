"""The Streamlit app, driven headlessly: first start indexes the corpus, a question shows its citations."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import FIXTURES, ROOT


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("CLAUSEWISE_CORPUS", str(FIXTURES))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)


def test_first_start_indexes_and_a_question_shows_its_citation(app: AppTest) -> None:
    app.run()
    assert not app.exception and not app.error
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "Acme Cloud Terms of Service" in sidebar and "clauses" in sidebar
    app.chat_input[0].set_value("How old must I be to open an account?").run()
    assert not app.exception and not app.error
    labels = [e.label for e in app.main.expander]
    assert labels and labels[0].startswith("[1] Acme Cloud Terms of Service — 1 Accounts › 1.1")
    shown = " ".join(m.value for m in app.markdown)
    assert ":orange-background[**1\\.1 You must be at least 16 years old" in shown


def test_the_page_keeps_its_layout_after_the_first_start(app: AppTest) -> None:
    # The first start's progress bar stood above the title on that run only: on the next, every element
    # moved up one place, and while a file was being indexed the page showed the caption twice.
    def places(run: AppTest) -> dict[str, int]:
        return {type(e).__name__: i for i, e in enumerate(run.main.children.values()) if type(e).__name__ != "Block"}

    first = places(app.run())
    assert "Title" in first and places(app.run())["Title"] == first["Title"]


def test_a_question_the_documents_do_not_answer_is_declined_in_the_chat(app: AppTest) -> None:
    app.run()
    app.chat_input[0].set_value("Does Acme sell my data?").run()
    assert not app.exception
    assert any("do not appear to address" in i.value for i in app.info)
    # The nearest clauses follow as related reading, highlighted lightly: in the answer's orange they read
    # as the answer.
    shown = " ".join(m.value for m in app.main.markdown)
    assert app.main.expander and ":gray-background[" in shown and ":orange-background[" not in shown


def test_a_follow_up_that_names_another_document_asks_it_the_question_before(app: AppTest) -> None:
    app.run()
    app.chat_input[0].set_value("Is Acme liable for losses caused by a leaked password?").run()
    app.chat_input[0].set_value("And Globex?").run()
    assert not app.exception and not app.error
    said = [c.value for c in app.caption]
    assert (
        "Read with your previous question, “Is Acme liable for losses caused by a leaked password?”, "
        "asked of Globex Privacy Notice."
    ) in said
    second = app.chat_message[3]  # question, answer, follow-up, its answer
    assert {e.label.split(" — ")[0].split("] ")[1] for e in second.expander} == {"Globex Privacy Notice"}


def test_a_document_named_alone_shows_its_sections(app: AppTest) -> None:
    app.run()
    app.chat_input[0].set_value("Globex").run()
    assert not app.exception and not app.error
    assert any(i.value.startswith("What would you like to know about Globex Privacy Notice?") for i in app.info)
    assert "Sections to read:" in [c.value for c in app.caption]
    assert [e.label for e in app.main.expander] == [
        "[1] Globex Privacy Notice — Preamble",  # "Globex respects your privacy.": text, not a title
        "[2] Globex Privacy Notice — Data we collect",
        "[3] Globex Privacy Notice — Cookies",
        "[4] Globex Privacy Notice — Sharing",
    ]


def test_scope_selector_limits_the_documents(app: AppTest) -> None:
    app.run()
    app.sidebar.multiselect[0].set_value(["Globex Privacy Notice"]).run()
    app.chat_input[0].set_value("Can I turn cookies off?").run()
    labels = [e.label for e in app.main.expander]
    assert labels and all("Globex" in lbl for lbl in labels)


def test_a_document_removed_in_the_sidebar_stops_being_cited_and_the_bundled_ones_stay_removed(app: AppTest) -> None:
    app.run()
    remove = app.sidebar.expander[0]
    assert remove.label == "Remove documents" and remove.button[0].disabled
    remove.multiselect[0].set_value(["Globex Privacy Notice"]).run()
    assert app.sidebar.expander[0].button[0].label == "Remove 1 document from the index"
    app.sidebar.expander[0].button[0].click().run()
    assert not app.exception and not app.error
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "Globex Privacy Notice" not in sidebar and "Acme Cloud Terms of Service" in sidebar
    assert "Globex Privacy Notice\\: removed" in [m.value for m in app.sidebar.success]
    app.chat_input[0].set_value("Can I turn cookies off?").run()
    assert all("Globex" not in e.label for e in app.main.expander)
    app.sidebar.expander[0].multiselect[0].set_value(["Acme Cloud Terms of Service"]).run()
    app.sidebar.expander[0].button[0].click().run()
    app.run()  # with every document removed, the next run does not index the bundled ones again
    assert not app.exception and not app.error
    assert not app.sidebar.expander and "Acme" not in " ".join(m.value for m in app.sidebar.markdown)
    assert any(i.value.startswith("No documents are indexed.") for i in app.info)
    assert not any("Smartproxy" in c.value for c in app.caption)  # no example asks about a document not indexed


def test_document_view_highlights_the_cited_span(app: AppTest) -> None:
    app.run()
    app.query_params["doc"] = "acme-terms"
    app.query_params["start"] = "0"
    app.query_params["end"] = "27"
    app.run()
    assert not app.exception
    assert any(m.value.startswith(":orange-background[**Acme Cloud Terms of Service**]") for m in app.markdown)


def test_document_view_marks_the_words_the_answer_quotes_within_the_cited_span(app: AppTest) -> None:
    # A unit of three table rows was all in strong colour in the document view; the row that answered
    # stood out only in the chat.
    app.run()
    app.query_params.update({"doc": "acme-terms", "start": "0", "end": "27", "focus_start": "5", "focus_end": "10"})
    app.run()
    assert not app.exception
    shown = next(m.value for m in app.markdown if "Cloud" in m.value)
    assert shown.startswith(":gray-background[Acme] :orange-background[**Cloud**] :gray-background[Terms of Service]")


def test_a_citations_title_line_previews_the_words_it_quotes() -> None:
    from app import citation_label
    from qa.types import Citation

    text = "Because most takedown notices are valid, we act on them. We close the accounts of repeat infringers."
    focus = (text.index("We close"), len(text))
    c = Citation(1, "t.md", "t", "Kestrel Terms", "t#p2", "", "", ["Paragraph 2"], 0, len(text), text, 0, len(text))
    assert citation_label(c) == "[1] Kestrel Terms — Paragraph 2 — “Because most takedown notices are valid,…”"
    assert citation_label(replace(c, focus=focus)).endswith("— “We close the accounts of repeat infringe…”")
    assert citation_label(replace(c, heading="Copyright", focus=focus)) == "[1] Kestrel Terms — Paragraph 2"


def test_the_sidebar_counts_one_clause_or_page_in_the_singular() -> None:
    from app import counted

    assert [counted(1, "clause"), counted(30, "clause"), counted(1, "page"), counted(0, "page")] == [
        "1 clause",
        "30 clauses",
        "1 page",
        "0 pages",
    ]


def test_the_document_view_opens_near_the_passage_even_in_a_page_of_one_paragraph() -> None:
    from app import CONTEXT_CHARS, context_start

    lines = "Title\n\nFirst line.\nSecond line.\nThird line.\nThe passage."
    assert lines[context_start(lines, lines.index("The passage")) :].lstrip().startswith("First line.")
    page = "Terms\n\n" + "".join(f"Sentence {i} says what it says. " for i in range(300))
    start = page.index("Sentence 250 ")
    cut = context_start(page, start)
    assert 0 < start - cut <= CONTEXT_CHARS and page[cut:].startswith("Sentence "), page[cut : cut + 30]


def test_the_document_view_does_not_begin_after_a_clauses_number() -> None:
    from app import context_start

    # Wargaming's terms as one paragraph: "4.8. " is no sentence's end, and the view showed "Your Account is
    # personal…" without its number.
    page = "Terms " + "the rules of the game apply to you " * 20 + "4.8. Your Account is personal and "
    page += "you may not share it with anyone " * 10 + "at all. 4.9. We may close it."
    shown = page[context_start(page, page.index("4.9.")) :]
    assert not shown.startswith("Your Account") and shown.startswith("4.9."), shown[:40]


def test_files_added_together_say_where_each_stands_among_them() -> None:
    from app import among

    assert among("terms.pdf", 2, 4) == "terms.pdf (file 2 of 4)"
    assert among("terms.pdf", 1, 1) == "terms.pdf"


def test_highlight_marks_each_line_so_it_survives_paragraph_breaks() -> None:
    from app import highlighted, md

    text = "Intro.\n\n1. First [a] *b*\n\n  2. Second \nend"
    start, end = text.index("1."), text.index("\nend")
    out = highlighted(text, start, end, 0, len(text))
    assert out.count(":orange-background[") == 2
    assert ":orange-background[**1\\. First \\[a\\] \\*b\\***]" in out
    assert out.startswith(md("Intro.\n\n")) and out.endswith(md("\nend"))
    # Outer spaces stay outside the bold markers, a line's indentation as non-breaking spaces.
    assert "\u00a0\u00a0:orange-background[**2\\. Second**] " in out
    # The words the answer quotes stand out within the cited unit, the rest of it marked lightly.
    focus = (text.index("2."), text.index("\nend"))
    out = highlighted(text, start, end, 0, len(text), focus)
    assert ":gray-background[1\\. First \\[a\\] \\*b\\*]" in out
    assert "\u00a0\u00a0:orange-background[**2\\. Second**] " in out and out.count(":orange-background[") == 1
    # A Markdown section's title is shown without its marks, those before a quote of its words included.
    page = "## 5. Changes\n\n### 5.1 Notice\n\nWe tell you first."
    out = highlighted(page, page.index("5. Changes"), len(page), 0, len(page))
    assert "#" not in out and "5\\. Changes" in out and "5\\.1 Notice" in out
    # Around the highlight, a section's title stands out in bold as its page sets it: in plain type the
    # document's view read as one run of text.
    page = "Intro.\n\n## 4.5 Termination.\n\nWe may end this.\n\n  ### 4.6 Disputes *and* Claims\n\nArbitration."
    out = highlighted(page, page.index("We"), page.index("this.") + 5, 0, len(page))
    assert "**4\\.5 Termination\\.**" in out and "\u00a0\u00a0**4\\.6 Disputes \\*and\\* Claims**" in out


def test_an_item_indented_four_spaces_or_more_is_shown_as_text_not_as_code() -> None:
    # A nested list's items ("    • Right to withdraw your consent:") were drawn as blocks of code, their
    # highlight's markup printed as it stands.
    from app import highlighted, md

    text = "Your rights:\n\n  • Right to access.\n\n    • Right to withdraw your consent:\n\n\tWrite to us."
    last = text.rindex("•")  # a highlight that starts after the indentation of its line
    for shown in (
        md(text),
        highlighted(text, text.index("•"), len(text), 0, len(text)),
        highlighted(text, last, len(text), 0, len(text)),
    ):
        lines = shown.split("\n")
        assert not any(line.startswith(("    ", "\t")) for line in lines), shown
        assert any(line.startswith("\u00a0" * 4) for line in lines)  # the indentation still shows


def test_with_an_llm_the_written_answer_and_its_citation_are_shown(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from .openai_stub import OpenAIStub, Reply

    def script(body: dict) -> str:
        import re

        ref = re.search(r"\[(C\d+)\][^\n]*\(clause id acme-terms#1\.1\)", body["messages"][-1]["content"]).group(1)
        quote = "You must be at least 16 years old to open an account."
        return json.dumps(
            {
                "status": "answered",
                "sentences": [{"text": "You must be 16.", "citations": [{"clause": ref, "quote": quote}]}],
            }
        )

    with OpenAIStub(Reply(script)) as stub:
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("CLAUSEWISE_CHAT_MODEL", "stub")
        app.run()
        app.chat_input[0].set_value("How old must I be to open an account?").run()
    assert not app.exception and not app.warning
    assert any(m.value == "You must be 16\\. \\[1\\]" for m in app.markdown)
    assert app.main.expander[0].label.startswith("[1] Acme Cloud Terms of Service — 1 Accounts › 1.1")


def test_with_a_broken_llm_the_chat_says_why_and_still_answers(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from .openai_stub import OpenAIStub, Reply

    with OpenAIStub(Reply("{}", status=401)) as stub:
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("CLAUSEWISE_LLM_RETRIES", "0")
        app.run()
        app.chat_input[0].set_value("How old must I be to open an account?").run()
    assert not app.exception
    assert "rejected the API key (401)" in app.warning[0].value
    assert app.main.expander[0].label.startswith("[1] Acme Cloud Terms of Service")


def test_units_of_one_section_are_told_apart_in_the_chat(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from .test_units import policy

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "lumen-privacy.txt").write_text(policy(), encoding="utf-8")
    monkeypatch.setenv("CLAUSEWISE_CORPUS", str(tmp_path / "docs"))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    app.chat_input[0].set_value("Who gets my device identifiers?").run()
    assert not app.exception
    labels = [e.label for e in app.main.expander]
    titles = [lbl.split("] ", 1)[1] for lbl in labels]
    sections = Counter(t.split(" — “")[0] for t in titles)
    assert max(sections.values()) >= 2  # several units of one section are shown…
    for t in titles:
        if sections[t.split(" — “")[0]] > 1:
            assert "“" in t, titles  # …each with its first words, so none looks like another
    assert len(set(titles)) == len(titles)


def test_the_watch_out_panel_lists_a_documents_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEWISE_CORPUS", str(Path(__file__).parent / "types"))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    assert not app.exception and not app.error
    assert not app.selectbox  # closed until asked for
    app.toggle(key="watch").set_value(True).run()
    app.selectbox(key="watch-doc").set_value("brightlane-terms").run()
    assert not app.exception and not app.error
    shown = " ".join(m.value for m in app.markdown)
    assert ":red[**clearly unfair**]" in shown and "arbitration" in shown
    labels = [e.label for e in app.main.expander]
    assert labels[0].startswith("[1] Brightlane Streaming Terms of Use — ")
    assert any("5 Suspension and Termination" in lbl for lbl in labels)
    assert any("not legal advice" in c.value for c in app.caption)
    app.selectbox(key="watch-doc").set_value("quillpad-terms").run()
    flagged = [e.label for e in app.main.expander]
    assert all("Quillpad" in lbl for lbl in flagged)  # Quillpad's own flags, if any; none of Brightlane's
