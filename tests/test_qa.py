"""Asking and looking up, over the fixture corpus and the bundled one, through the API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.text import is_cjk_text
from qa.answer.extractive import CITED_UNIT_CHARS, _cite, render
from qa.chain import Clausewise
from qa.errors import BadQuestion, UnknownDocument
from qa.question import read_question
from qa.settings import Settings
from qa.types import Answer, Citation, Hit

from .conftest import engine_over, run_module


def assert_exact(cw: Clausewise, payload: dict) -> None:
    """The citation contract: quote == document text[start:end], the document being the file as UTF-8."""
    files = {d.meta.source: d.text for d in cw.snapshot().docs.values()}
    for c in payload["citations"] + payload["related"]:
        assert files[c["doc"]][c["start"] : c["end"]] == c["quote"]


def test_answers_cite_the_clause_that_answers(fixture_engine: Clausewise) -> None:
    a = fixture_engine.ask("Can I get a refund?")
    assert a.status == "answered"
    assert a.citations[0].clause_id.startswith("acme-terms#2.2")
    assert any("Refunds are available within 14 days" in c.quote for c in a.citations)
    assert_exact(fixture_engine, a.to_json())


def test_scoping_by_parameter_and_by_name(fixture_engine: Clausewise) -> None:
    a = fixture_engine.ask("Do they use cookies?", ["globex-privacy.md"])
    assert {c.doc_id for c in a.citations} == {"globex-privacy-md"}
    a = fixture_engine.ask("What does Globex do with cookies?")
    assert a.scope == ["globex-privacy-md"] and a.citations[0].clause_id == "globex-privacy-md#cookies"
    with pytest.raises(UnknownDocument, match="no document matches 'initech'"):
        fixture_engine.ask("cookies?", ["initech"])


def test_bad_questions_get_clear_errors(fixture_engine: Clausewise) -> None:
    with pytest.raises(BadQuestion, match="empty"):
        fixture_engine.ask("   ")
    with pytest.raises(BadQuestion, match="limit is 2000"):
        fixture_engine.ask("why " * 600)


def test_lookup_by_number_and_heading(fixture_engine: Clausewise) -> None:
    a = fixture_engine.lookup("acme 2.2")
    assert a is not None and a.citations[0].clause_id == "acme-terms#2.2"
    assert "(b) Refunds are paid to the original card." in a.citations[0].quote, "the whole clause, children too"
    a = fixture_engine.lookup("show me the force majeure section")
    assert a is not None and a.citations[0].clause_id == "acme-terms#4"


def test_json_contract_on_the_bundled_corpus(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("Can Smartproxy freeze my account?").to_json()
    assert set(a) >= {"question", "status", "answer", "citations", "related", "timings_ms"}
    assert a["status"] == "answered"
    assert a["citations"][0]["clause_id"].startswith("smartproxy-user-service-agreement#3.1")
    for c in a["citations"]:
        assert set(c) >= {"n", "doc", "clause_id", "label", "path", "start", "end", "quote"}
        assert c["doc"] == "smartproxy-user-service-agreement.txt" and isinstance(c["path"], list)
    assert [c["n"] for c in a["citations"]] == list(range(1, len(a["citations"]) + 1))
    assert 0 < len(a["related"]) <= 8
    ids = [c["clause_id"] for c in a["citations"] + a["related"]]
    assert len(ids) == len(set(ids))  # no unit shown twice
    assert [c["n"] for c in a["related"]] == list(range(len(a["citations"]) + 1, len(ids) + 1))
    assert_exact(corpus_engine, a)


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("what does 2.8.5 of the App service agreement say", "app-service-agreement#2.8.5"),
        ("show me the force majeure section of the Smartproxy terms", "smartproxy-user-service-agreement#7"),
        ("脉邦协议第三条", "maibang-scrm-user-service-agreement#三"),
        ("What does section III of the MaiBang agreement say?", "maibang-scrm-user-service-agreement#III"),
        ("What does clause 4.1.5 of the Smartproxy terms prohibit?", "smartproxy-user-service-agreement#4.1.5"),
    ],
)
def test_clause_lookups_on_the_bundled_corpus(corpus_engine: Clausewise, question: str, clause: str) -> None:
    a = corpus_engine.ask(question)
    assert a.kind == "lookup" and a.citations[0].clause_id == clause
    assert_exact(corpus_engine, a.to_json())


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("What does section B.2 say?", "B.2"),
        ("show me section B of the terms", "B"),
        ("What does Article A say?", "A"),
        ("What does B.2(b) say?", "B.2.b"),
        ("what does clause B.2 (a) say", "B.2.a"),
    ],
)
def test_lettered_sections_and_bracketed_items_are_looked_up(tmp_path: Path, question: str, clause: str) -> None:
    cw = engine_over(
        tmp_path,
        {
            "lettered-terms.txt": "A. Accounts\n\nYou must be 16 or older to hold an account.\n\n"
            "B. Your Content\n\n1. Ownership\n\nYou keep the rights to everything you post.\n\n"
            "2. Removal\n\nWe may remove content that:\n(a) is spam or advertising;\n(b) carries malware.\n"
        },
    )
    a = cw.ask(question)
    assert a.kind == "lookup" and a.citations[0].clause_id == f"lettered-terms#{clause}"
    assert_exact(cw, a.to_json())


def test_a_section_numbered_without_a_line_of_its_own_is_found_by_its_number(tmp_path: Path) -> None:
    # As Wargaming's terms: "16.9. …" then "17.1. The law of the Republic of Cyprus…", with no "17." line;
    # "section 17" was "No clause".
    text = (
        "16. Termination\n\n16.1. You may delete your Account at any time.\n\n"
        "16.2. If you believe we closed your Account in error, contact our support.\n\n"
        "17.1. The law of the Republic of Cyprus shall apply to this agreement.\n\n"
        "17.2. Any dispute goes first to our support team.\n"
    )
    cw = engine_over(tmp_path, {"quarry-eula.txt": text})
    a = cw.ask("What does section 17 of the Quarry EULA say?")
    assert a.kind == "lookup" and a.status == "answered"
    assert a.citations[0].clause_id == "quarry-eula#17.1" and "Republic of Cyprus" in a.citations[0].quote
    assert_exact(cw, a.to_json())


def test_a_clause_number_no_document_has_is_said_to_be_missing(tmp_path: Path) -> None:
    # A contract numbered 1 to 2 whose exhibit number starts with the number asked: "10.14" is not "10.1".
    cw = Clausewise(Settings(home=tmp_path / "home"))
    doc = tmp_path / "harbor-supply.txt"
    doc.write_text(
        "EXHIBIT 10.14\n\nHARBOR SUPPLY AGREEMENT\n\n"
        "1. TERM. This Agreement runs for one year from the Effective Date.\n\n"
        "2. FEES. Buyer pays the invoiced amount within 30 days; late amounts bear 1.5% interest per month.\n",
        encoding="utf-8",
    )
    assert cw.ingest([doc]).ok
    a = cw.ask("What does section 10.1 say?", ["harbor-supply.txt"])
    assert a.status == "not_addressed" and a.citations == []
    assert a.text.startswith("No clause “10.1” in ") and a.related
    assert_exact(cw, a.to_json())
    assert cw.ask("What does section 2 say?", ["harbor-supply.txt"]).citations[0].label == "2"
    # A bare number right after the asking verb is a clause too, as a dotted one is.
    bare = cw.ask("what does 2 of the harbor supply agreement say")
    assert bare.kind == "lookup" and bare.citations[0].label == "2"
    assert cw.ask("What does 7 of the harbor supply agreement say?").text.startswith("No clause “7” in ")
    # A number that is not a clause reference is searched as usual.
    fees = cw.ask("Is there interest of 1.5% on late payment?", ["harbor-supply.txt"])
    assert fees.status == "answered" and "1.5% interest" in fees.citations[0].quote


def test_a_clause_number_asked_of_every_document_shows_each_ones_clause(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("What does section 5 say?")
    assert a.status == "answered" and a.kind == "lookup"
    docs = [c.doc_id for c in a.citations]
    assert len(docs) >= 3 and len(set(docs)) == len(docs), "one clause 5 from each document that has one"
    assert "smartproxy-user-service-agreement" in docs and "app-service-agreement" in docs
    assert_exact(corpus_engine, a.to_json())


def test_a_chinese_article_number_the_document_lacks(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("脉邦协议第三十条说了什么?")
    assert a.status == "not_addressed" and a.citations == [] and "“第三十条”" in a.text
    assert_exact(corpus_engine, a.to_json())


def test_bilingual_citation_carries_its_parallel(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("脉邦协议第三条")
    p = a.citations[0].parallel
    assert p is not None and p.clause_id == "maibang-scrm-user-service-agreement#III"
    assert p.quote.startswith("III. User Information Protection")


def test_declines_what_the_documents_do_not_address(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("How much does Smartproxy charge per GB?")  # the README's example
    assert a.status == "not_addressed" and a.citations == []
    assert a.related and all(r.doc_id == "smartproxy-user-service-agreement" for r in a.related)
    assert_exact(corpus_engine, a.to_json())


def test_cli_ask_json_and_lookup(corpus_engine: Clausewise) -> None:
    home = corpus_engine.settings.home
    run = run_module("qa", "ask", "How can I reject cookies?", "--doc", "smm-privacy-policy.txt", "--json", home=home)
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["citations"] and {c["doc"] for c in payload["citations"]} == {"smm-privacy-policy.txt"}
    assert_exact(corpus_engine, payload)
    run = run_module("qa", "lookup", "smartproxy 3.1.2", home=home)
    assert run.returncode == 0 and "3.1.2. Violating these service terms" in run.stdout
    run = run_module("qa", "lookup", "smartproxy 9.9.9", home=home)
    assert run.returncode == 1 and "no clause matches" in run.stderr


def test_the_chain_is_a_langchain_runnable(fixture_engine: Clausewise) -> None:
    a = fixture_engine.as_runnable().invoke({"question": "How old must I be to open an account?"})
    assert a.citations[0].clause_id == "acme-terms#1.1"


def test_empty_index_says_what_to_do(tmp_path: Path) -> None:
    from qa.errors import IndexEmpty
    from qa.settings import Settings

    with pytest.raises(IndexEmpty, match="python -m ingest"):
        Clausewise(Settings(home=tmp_path / "empty")).ask("anything?")


@pytest.mark.parametrize("fusion", ["zscore", "rrf"])
def test_both_fusions_rank_the_answering_clause_first(fixture_engine: Clausewise, fusion: str) -> None:
    from qa.retrieve import retrieve

    snap = fixture_engine.snapshot()
    text = "What happens if there is a flood or a strike?"
    q, v = read_question(text), fixture_engine.store.ef.query(text)
    hits = retrieve(snap, fixture_engine.store, q, v, fusion=fusion)
    assert hits[0].clause_id == "acme-terms#4"
    with pytest.raises(ValueError, match="choose from: zscore, rrf"):
        retrieve(snap, fixture_engine.store, q, v, fusion="max")


def test_a_clause_referred_to_by_a_cited_clause_comes_along_as_related(fixture_engine: Clausewise) -> None:
    a = fixture_engine.lookup("acme 2.2")
    assert a is not None and [r.clause_id for r in a.related] == ["acme-terms#2.1"]
    assert a.related[0].n == 2 and a.related[0].quote.startswith("2.1 Subscriptions renew automatically")


def test_a_long_section_referred_to_comes_along_by_its_first_unit(tmp_path: Path) -> None:
    # "as described in Section 7" of a cited clause once brought all of section 7 along as related
    # reading, 4,000 characters of a real terms page; it is shown by its first unit, the rest a click away.
    payment = "Each plan's price is charged to your card on the day it renews, in advance. " * 10
    text = (
        "Harbour Terms\n\n1. ACCOUNTS\n\n1.1 You must be 18 or older to hold an account.\n\n2. PLANS\n\n"
        + "\n\n".join(f"2.{i} {payment}" for i in range(1, 5))
        + "\n\n3. SIGN-UP\n\n3.1 To sign up you choose a plan as described in Section 2 and give a valid card.\n"
    )
    cw = engine_over(tmp_path, {"harbour-terms.txt": text})
    a = cw.lookup("harbour 3.1")
    assert a is not None
    plans = next(r for r in a.related if r.clause_id == "harbour-terms#2")
    assert plans.quote.startswith("2. PLANS\n\n2.1 Each plan") and len(plans.quote) <= CITED_UNIT_CHARS
    assert_exact(cw, a.to_json())


def test_questions_across_documents_say_where_nothing_was_found(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("Which services exclude liability for indirect or consequential damages?")
    docs = {c.doc_id for c in a.citations}
    assert {"smartproxy-user-service-agreement", "maibang-scrm-user-service-agreement"} <= docs
    assert "Nothing found on this in:" in a.text
    silent = a.text.split("Nothing found on this in:")[1]
    assert all(corpus_engine.snapshot().docs[d].meta.title not in silent for d in docs)


def test_across_documents_one_the_model_answers_from_alone_speaks_however_far_behind(corpus_engine: Clausewise) -> None:
    # MaiBang's clause is a long bilingual paragraph that ranks far behind the App's short one; asked
    # of MaiBang alone, the learned model answers, so across the documents it speaks too.
    a = corpus_engine.ask("Which documents mention promotional emails or ads sent to users?")
    maibang = [c for c in a.citations if c.doc_id == "maibang-scrm-user-service-agreement"]
    assert maibang and "may send promotional or publicity information to you" in maibang[0].quote


def test_across_documents_each_documents_clauses_come_in_the_learned_order(corpus_engine: Clausewise) -> None:
    from qa.question import read_question
    from qa.rank import rerank
    from qa.retrieve import retrieve_per_document

    question = "Which documents say they can send me notices by email?"
    a = corpus_engine.ask(question)
    snap = corpus_engine.snapshot()
    q = read_question(question)
    per_doc, _ = retrieve_per_document(
        snap, corpus_engine.store, q, corpus_engine.store.ef.query(question), list(snap.docs)
    )
    reordered = 0
    for d, hits in per_doc.items():
        cited = [c.clause_id for c in a.citations if c.doc_id == d]
        learned = [h.clause_id for h in rerank(snap, q, hits) if h.clause_id in cited]
        assert cited == learned, d
        reordered += learned != [h.clause_id for h in hits if h.clause_id in cited]
    assert reordered, "the learned order differs from retrieval's for some cited document here"


@pytest.mark.parametrize("question", ["What is Acme's phone number?", "What is the price of Acme Cloud?"])
def test_asking_for_a_value_no_clause_contains_is_declined(fixture_engine: Clausewise, question: str) -> None:
    a = fixture_engine.ask(question)
    assert a.status == "not_addressed" and a.citations == [] and a.related


def test_asking_a_service_for_a_value_none_of_its_documents_contains_is_declined(tmp_path: Path) -> None:
    # Strava's terms and privacy policy, both named by "Strava", give no price: the terms' fees clause was
    # cited for "How much does Strava cost per month?", where one document alone was declined.
    cw = engine_over(
        tmp_path,
        {
            "orbit-terms.txt": "Orbit Terms of Service\n\n1. Fees\nSome features of Orbit require a subscription. "
            "Subscription fees are billed monthly or yearly, in advance, and renew until you cancel.\n\n2. "
            "Termination\nOrbit may close your account if you break these terms.\n",
            "orbit-privacy.txt": "Orbit Privacy Policy\n\n1. Payment Information\nWhen you pay for a subscription, "
            "our payment processor receives your card details.\n\n2. Sharing\nWe do not sell your data.\n",
        },
    )
    a = cw.ask("How much does Orbit cost per month?")
    assert a.status == "not_addressed" and a.citations == [] and a.related, [c.clause_id for c in a.citations]
    assert cw.ask("How are Orbit's fees billed?").status == "answered"


def test_asking_for_a_value_a_clause_contains_is_answered(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("What is MaiBang's phone number?")
    assert a.status == "answered"
    assert any("400-0672-889" in c.quote for c in a.citations)


def test_a_defined_term_brings_its_definition_along(corpus_engine: Clausewise) -> None:
    from qa.references import definitions

    snap = corpus_engine.snapshot()
    terms = definitions(snap, "maibang-scrm-user-service-agreement")
    assert terms["Cloud Platform"].clause_id.endswith("#I.2") and terms["用户内容"].clause_id.endswith("#一.3")
    assert "Services" not in terms and "服务" not in terms, "one-word terms are too common to track"
    a = corpus_engine.lookup("MaiBang section II")
    assert a is not None and "maibang-scrm-user-service-agreement#I.2" in [r.clause_id for r in a.related]


def test_dense_scores_from_the_mirror_equal_chromas_own_search(fixture_engine: Clausewise) -> None:
    """Small indexes keep a copy of the vectors; large ones ask Chroma. Both rank the same."""
    import numpy as np

    from qa.corpus import Corpus
    from qa.retrieve import chunk_scores

    mirrored = Corpus(fixture_engine.store).snapshot()
    chroma_only = Corpus(fixture_engine.store, mirror_chunks=0)
    plain = chroma_only.snapshot()
    assert mirrored.mirrored and not plain.mirrored
    for q in ("Can I get a refund?", "Do they sell my data?", "floods and strikes"):
        v = fixture_engine.store.ef.query(q)
        mask = np.ones(len(plain.chunks), dtype=bool)
        a, _ = chunk_scores(mirrored, fixture_engine.store, read_question(q), v, mask)
        b, _ = chunk_scores(plain, fixture_engine.store, read_question(q), v, mask)
        order = [plain.chunk_index[c.chunk_id] for c in mirrored.chunks]
        assert np.allclose(a, b[order], atol=1e-4)


def test_a_citation_shows_its_whole_unit_and_the_text_its_best_words(corpus_engine: Clausewise) -> None:
    snap = corpus_engine.snapshot()
    long = [c for c in snap.chunks if 900 < c.end - c.start <= CITED_UNIT_CHARS and not is_cjk_text(c.text)][:2]
    assert len(long) == 2, "the bundled corpus has units longer than a quoted passage"
    q = read_question("Can they close my account?")
    hits = [Hit(c.clause_id, c.doc_id, c.start, c.end, 1.0, 0.5, 1.0) for c in long]
    cites = _cite(snap, hits, q, 1)
    rendered = render(cites, q)
    for c, unit in zip(cites, long, strict=True):
        text = snap.docs[c.doc_id].text
        # Each citation shows its whole unit...
        assert c.end - c.start > 0.8 * (unit.end - unit.start)
        assert text[c.start : c.end] == c.quote
        # ...and the answer's text quotes only its best words, an exact slice inside the citation.
        assert c.focus is not None
        s, e = c.focus
        assert c.start <= s < e <= c.end and e - s < c.end - c.start
        assert " ".join(text[s:e].split()) in rendered
        assert " ".join(c.quote.split()) not in rendered


def test_naming_a_document_does_not_make_a_question_it_leaves_open_look_answered(corpus_engine: Clausewise) -> None:
    # A name the document repeats in every clause ("Smartproxy may…") matched every unit; the
    # question is asked without it, as when the document is chosen instead.
    for question in (
        "Does Smartproxy offer a student discount?",
        "Can I pay Smartproxy with bitcoin?",
        "Is there a Smartproxy referral bonus?",
        "How many employees does Maibang have?",
    ):
        named = corpus_engine.ask(question)
        assert named.scope and named.status == "not_addressed", question
        chosen = corpus_engine.ask(question, named.scope)
        assert chosen.status == "not_addressed" and chosen.related == named.related, question


def test_an_item_of_a_list_already_quoted_is_not_cited_again(corpus_engine: Clausewise) -> None:
    # "3.1" is quoted with the list of situations it introduces; its items come up on their own too.
    a = corpus_engine.ask("Smartproxy在什么情况下会冻结我的账户?")
    assert a.citations[0].label == "3.1" and "3.1.6" in a.citations[0].quote
    for i, c in enumerate(a.citations):
        assert c.n == i + 1
        assert not any(p.doc_id == c.doc_id and p.start <= c.start and c.end <= p.end for p in a.citations[:i])
    assert a.text.count("3.1.1.") == 1  # the first item is quoted once, inside the list
    assert_exact(corpus_engine, a.to_json())


def uploaded(tmp_path: Path, name: str, text: str) -> Clausewise:
    """An engine in a home of its own holding one document, uploaded as a user would."""
    cw = Clausewise(Settings(home=tmp_path / "home"))
    cw.ingest_upload(text.encode(), name)
    return cw


def answered_quoting(cw: Clausewise, question: str, words: str) -> Answer:
    """The answer to the question, checked to be one whose first quote holds these words."""
    a = cw.ask(question)
    assert a.status == "answered" and words in a.citations[0].quote
    return a


def test_a_paragraph_a_section_did_not_take_in_is_named_after_that_section(tmp_path: Path) -> None:
    text = (
        "Kidsafe Learning Privacy Notice\n\nThis notice explains what we collect.\n\n"
        "1. What we collect\n\nWe collect a username and a birthdate.\n\n"
        "2. Restricted accounts for children.\n\n"
        "A child's account cannot post comments or send messages to other learners.\n"
    )
    cw = uploaded(tmp_path, "kidsafe.txt", text)
    a = answered_quoting(cw, "Can a child's account send messages to other learners?", "cannot post comments")
    assert a.citations[0].path == ["2 (continued)"]
    assert_exact(cw, a.to_json())


def test_a_section_asked_for_shows_the_paragraphs_it_did_not_take_in(tmp_path: Path) -> None:
    # "Section 2" showed its title line alone: the paragraphs after a title that reads as a sentence are
    # top-level text, named "2 (continued)".
    text = (
        "Kidsafe Learning Privacy Notice\n\n1. What we collect\n\nWe collect a username and a birthdate.\n\n"
        "2. Restricted accounts for children.\n\n"
        "A child's account cannot post comments or send messages to other learners.\n\n"
        "A parent can lift these limits from the family dashboard.\n\n3. Contact\n\nWrite to us.\n"
    )
    cw = uploaded(tmp_path, "kidsafe.txt", text)
    a = cw.ask("Kidsafe notice, section 2: its full text please")
    assert a.kind == "lookup" and a.citations[0].label == "2"
    quote = a.citations[0].quote
    assert "cannot post comments" in quote and "family dashboard" in quote and "Write to us" not in quote, quote
    shown = a.citations[0]  # ...and the clause shown around the quote holds all of it
    assert shown.clause_start <= shown.start and shown.end <= shown.clause_end
    assert_exact(cw, a.to_json())


def test_a_lettered_item_is_named_with_the_section_it_is_in(tmp_path: Path) -> None:
    # As the BBC's privacy policy letters its items: "d) We share personal information…" alone did not
    # say which section's d) it was.
    text = (
        "Wrenfield Privacy Policy\n\n1. What we collect\n\na) Account details\n\nWe keep your name and e-mail address.\n\n"
        "b) Viewing history\n\nWe record which programmes you watch.\n\n2. When we share your information\n\n"
        "a) Service providers\n\nOther companies process your information on our behalf, such as our e-mail sender.\n\n"
        "b) The law\n\nWe pass your information to the police when the law requires it.\n"
    )
    cw = uploaded(tmp_path, "wrenfield-privacy.txt", text)
    a = answered_quoting(cw, "Do they give my information to the police?", "when the law requires it")
    assert "2 When we share your information › b) The law:" in a.text, a.text
    assert_exact(cw, a.to_json())


def test_a_document_without_headings_names_its_text_by_paragraph_not_preamble(tmp_path: Path) -> None:
    paragraphs = [
        "Quillnest collects your name and e-mail address when you create an account.",
        "We use cookies to keep you signed in and to count visits to our pages.",
        "We never sell or rent your personal information to any third party.",
        "You may ask us to delete your account by writing to privacy@quillnest.example.",
    ]
    cw = uploaded(tmp_path, "quillnest.txt", "\n\n".join(p * 12 for p in paragraphs) + "\n")
    a = answered_quoting(cw, "Does Quillnest sell my personal information?", "never sell or rent")
    assert a.citations[0].path == ["Paragraph 3"]
    assert "Preamble" not in a.text and "Paragraph 3" in a.text
    assert all(r.path[0].startswith("Paragraph") for r in a.related)
    assert_exact(cw, a.to_json())


def test_a_cover_line_under_a_contracts_title_is_no_unit_to_read(tmp_path: Path) -> None:
    text = (
        "Content License Agreement\n\nbetween\n\nOrbis Media Limited\n\nand\n\nTallow Network Co., Ltd.\n\n"
        "March 2, 2010\n\nContent License Agreement\n\nThis Content License Agreement is entered into between Orbis "
        "Media Limited and Tallow Network Co., Ltd.\n\n1. TERM\n\n1.1 This Agreement is valid for three years from "
        "the date of signing.\n\n1.2 Either party may renew it by notice in writing.\n\n2. FEES\n\n2.1 The licensee "
        "pays the fee set forth in Attachment 1 within 30 days of each invoice.\n"
    )
    cw = uploaded(tmp_path, "orbis-content-license.txt", text)
    a = answered_quoting(cw, "For what period is the agreement valid?", "valid for three years")
    # "between", alone under the title on the cover, says nothing a reader could use.
    assert a.related and "between" not in [c.quote.strip() for c in (*a.citations, *a.related)]


def test_a_date_stamp_left_as_a_paragraph_answers_only_when_the_document_was_updated(tmp_path: Path) -> None:
    text = (
        "Orbit Terms of Use\n\n1. Free Trials\n1.1. Your Orbit membership may start with a free trial. We will "
        "charge your Payment Method for your monthly membership fee at the end of the free trial unless you cancel "
        "before it ends. To view the monthly membership price, visit Your Account.\n\n2. Billing\n2.1. The "
        "membership fee is charged monthly to your Payment Method.\n2.2. We may change the price of our plans from "
        "time to time; any change applies no earlier than 30 days after notice.\n\n3. Miscellaneous\n3.1. "
        "Notices. We send notices by e-mail to the address on your account.\n3.2. Survival. If any provision "
        "is held invalid, the rest remains in effect.\nLast Updated: 1 January 2017\n"
    )
    cw = uploaded(tmp_path, "orbit-terms.txt", text)
    a = cw.ask("¿Cuánto cuesta la membresía de Orbit?")
    assert a.status == "answered"
    assert not [c for c in (*a.citations, *a.related) if c.quote == "Last Updated: 1 January 2017"]
    answered_quoting(cw, "When were the Orbit terms last updated?", "Last Updated: 1 January 2017")


def test_a_table_of_contents_is_neither_cited_nor_offered_as_related(tmp_path: Path) -> None:
    sections = [
        ("Welcome", "These terms govern your use of the Lumenpost service and its apps."),
        ("Your Account", "You must keep your password secret and tell us about any misuse."),
        ("Fees and Refunds", "Subscriptions renew monthly; refunds are given within 14 days of purchase."),
        ("Dispute Resolution and Governing Law", "These terms are governed by the laws of Ireland."),
    ]
    contents = "\n".join(f"{i}. {title}" for i, (title, _) in enumerate(sections, 1))
    body = "\n\n".join(f"{i}. {title}\n\n{words}" for i, (title, words) in enumerate(sections, 1))
    text = f"Lumenpost Terms of Use\n\n{contents}\n\n{body}\n"
    cw = uploaded(tmp_path, "lumenpost.txt", text)
    a = answered_quoting(cw, "Which governing law applies to disputes?", "laws of Ireland")
    assert all("2. Your Account" not in c.quote for c in [*a.citations, *a.related])
    assert_exact(cw, a.to_json())


def test_a_unit_of_only_its_numbered_title_is_a_title(tmp_path: Path) -> None:
    # As Airbnb's privacy policy: "**2\\. PERSONAL INFORMATION WE COLLECT**" over titles that closed it, a
    # unit of its title and number alone, which a Spanish question about selling data cited second.
    from qa.answer.extractive import title_only

    text = (
        "# Business Users\n\n**1\\. DEFINITIONS**\n\nUndefined terms in this section have the meaning in our terms.\n\n"
        "**2\\. PERSONAL INFORMATION WE COLLECT**\n\n# Information needed to use Orbit\n\n"
        "We collect your name and email address when you register.\n"
    )
    cw = engine_over(tmp_path, {"orbit-privacy.md": text})
    snap = cw.snapshot()
    units = {c.clause_id.split("#")[1]: Hit(c.clause_id, c.doc_id, c.start, c.end, 0.0, 0.0, 0.0) for c in snap.chunks}
    titled = [
        k
        for k, h in units.items()
        if snap.docs[h.doc_id].text[h.chunk_start : h.chunk_end].strip().endswith("WE COLLECT")
    ]
    assert titled and all(title_only(snap, units[k]) for k in titled)
    assert not any(title_only(snap, h) for k, h in units.items() if k not in titled)


def test_a_pages_navigation_is_neither_cited_nor_offered_as_related(tmp_path: Path) -> None:
    # A Markdown copy of a web page keeps its menus. Short, they sat nearest a question in another
    # language: over Zoom's terms, "Toggle navigation • JOIN • HOST" was cited first.
    nav = "Toggle navigation\n\n* JOIN\n* HOST\n* SIGN IN\n* SIGN UP, IT'S FREE\n\n"
    # Without bullets too, as TikTok's page ends: an Italian question cited "Help Center / Safety Center…".
    footer = (
        "\n\nAbout\n\n* Blog\n* Careers\n* Contact Sales\n* Plans & Pricing\n\n"
        "#### Resources\n\nHelp Center\n\nSafety Center\n\nCreator Academy\n\nTransparency\n"
    )
    sections = [
        ("Your Account", "You must keep your password secret and tell us at once about any misuse of your account."),
        ("Fees", "Subscriptions renew every month until you cancel them in your account settings."),
        ("Termination", "Lumenpost may suspend or close your account at any time, with or without notice to you."),
        ("Governing Law", "These terms are governed by the laws of Ireland and its courts hear any dispute."),
    ]
    body = "\n\n".join(f"## {title}\n\n{words}" for title, words in sections)
    cw = uploaded(tmp_path, "lumenpost-terms.md", f"{nav}# Lumenpost Terms of Service\n\n{body}{footer}")
    questions = (
        "¿Pueden cerrar mi cuenta sin avisarme?",
        "Wie kündige ich mein Abo?",
        "Where do I sign up?",
        "Posso fare causa in tribunale?",
    )
    for question in questions:
        a = cw.ask(question)
        shown = [c.quote for c in [*a.citations, *a.related]]
        assert shown and not any(w in q for q in shown for w in ("JOIN", "Careers", "Safety Center")), (question, shown)
        assert_exact(cw, a.to_json())


def test_a_title_sharing_one_word_with_the_question_is_not_cited(tmp_path: Path) -> None:
    # A page of question titles: "What Else Should You Know?" has no text of its own, the titles below
    # it being sections too; it shares "know" with the question and, short, sits close to anything.
    text = (
        "Brambleway Help Terms\n\nThese terms explain how the Brambleway notebook service works.\n\n"
        "Who Owns My Notebooks?\nYou keep ownership of everything you write in your notebooks.\n\n"
        "What Else Should You Know?\n"
        "If Brambleway Must Let You Know About a Change, How Will It Reach You?\n"
        "We send notices by email to the address on your account, or post them on our website.\n"
    )
    cw = uploaded(tmp_path, "brambleway.txt", text)
    a = answered_quoting(cw, "How would Brambleway let me know about something?", "notices by email")
    assert all(c.quote.strip() != "What Else Should You Know?" for c in [*a.citations, *a.related])


def test_a_signature_line_is_never_an_answer(tmp_path: Path) -> None:
    terms = (
        "SERVICE AGREEMENT\n\n1. Services\n\nHarbourline maintains the customer's boats at its yard.\n\n"
        "2. Term\n\nThis Agreement runs for two years and then renews for one year at a time.\n\n"
        "3. Entire Agreement\n\nThis Agreement is the whole agreement between the parties.\n\n"
        "- -----------------------------\n/s/ [Illegible]\n\n- -----------------------------\n/s/ [Illegible]\n"
    )
    cw = uploaded(tmp_path, "harbourline-service-agreement.txt", terms)
    for question in ("For what period does the Harbourline agreement run?", "Who signed it?"):
        ans = cw.ask(question)
        assert not any("Illegible" in c.quote for c in [*ans.citations, *ans.related]), question


def test_a_passage_the_document_repeats_word_for_word_is_shown_once(tmp_path: Path) -> None:
    # Saved pages repeat themselves (Wikipedia's terms came with their whole text twice): the copy is no
    # second citation, nor related reading.
    cw = Clausewise(Settings(home=tmp_path / "home"))
    body = (
        "1. Plans\nThe Plus plan costs GBP 3 a month.\n\n"
        "2. Refunds\nA paid plan cancelled within 14 days is refunded in full to the card that paid for it.\n\n"
        "3. Support\nWe answer e-mail within two days.\n\n"
    )
    doc = tmp_path / "harbor-notes-terms.txt"
    doc.write_text(f"Harbor Notes Terms of Service\n\n{body}Print version\n\n{body}", encoding="utf-8")
    assert cw.ingest([doc]).ok
    a = cw.ask("Is a cancelled plan refunded?", ["harbor-notes-terms.txt"])
    assert a.status == "answered" and "refunded in full" in a.citations[0].quote
    shown = [" ".join(c.quote.split()) for c in [*a.citations, *a.related]]
    assert sum("refunded in full" in s for s in shown) == 1 and len(shown) == len(set(shown)), shown
    assert_exact(cw, a.to_json())


def test_a_clause_titled_in_its_first_sentence_is_named_by_its_title_and_quoted_from_its_number(
    tmp_path: Path,
) -> None:
    # "17. Limitation of Liability. In no event…": the title is its name, and the quote still holds the
    # sentence on the title's line (the line of a title alone is left out of a quote).
    terms = (
        "1. Your Account. You are responsible for keeping your password secret and for all use of it.\n\n"
        "2. Limitation of Liability. In no event will our total liability to you exceed fifty dollars.\n\n"
        "3. Notices. Every notice to us under these terms must be sent by post to this address:\n\n"
        "Plover Ltd, 1 Quay Street, Leeds LS1 4AB, United Kingdom.\n"
    )
    cw = engine_over(tmp_path, {"plover-terms.txt": terms})
    a = cw.ask("Is there a cap on what they owe me for damages?")
    assert (a.citations[0].label, a.citations[0].heading) == ("2", "Limitation of Liability")
    assert cw.ask("show me the limitation of liability section").citations[0].label == "2"
    notices = cw.ask("Where must notices be sent?")
    assert notices.citations[0].label == "3"
    assert "must be sent by post" in notices.text.split("[1]")[0], notices.text


def test_a_markdown_section_asked_for_is_quoted_from_its_title_not_its_heading_marks(tmp_path: Path) -> None:
    # Its subsections' titles are shown without their marks too ("## 5.1 Changes" stood in the answer about
    # section 5 of Amazon Music's terms), and without the full stop a title closes with in running text.
    page = (
        "# Wren Terms\n\n## 1. Accounts\n\nYou must keep your password secret and tell us of any misuse.\n\n"
        "## 2. Fees\n\nFees are billed monthly in advance and are not refundable once a month has begun.\n\n"
        "### 2.1 Refunds.\n\nA refund owed to you is paid within fourteen days of your written request.\n"
    )
    cw = engine_over(tmp_path, {"wren-terms.md": page})
    a = cw.ask("Show me clause 2 of the Wren terms")
    c = a.citations[0]
    assert a.kind == "lookup" and c.label == "2"
    assert c.quote.startswith("2. Fees\n") and "#" not in a.text and "\n2.1 Refunds.\n" in a.text, a.text
    assert cw.snapshot().docs[c.doc_id].text[c.start : c.end] == c.quote  # "### 2.1" and all
    assert cw.ask("Show me clause 2.1 of the Wren terms").citations[0].path[-1] == "2.1 Refunds"


def test_the_answer_names_an_untitled_item_from_the_titled_section_above_it() -> None:
    def cited(label: str, heading: str, path: list[str]) -> Citation:
        quote = "California law will govern these Terms."
        return Citation(
            1,
            "wren.md",
            "wren-md",
            "Wren Terms",
            "wren-md#x",
            label,
            heading,
            path,
            0,
            len(quote),
            quote,
            0,
            len(quote),
        )

    q = read_question("Which law governs the Wren terms?")
    # Yelp's 13.1.3 was named "1 › 3", which did not say which section's item 3 it was.
    assert render([cited("3", "", ["13 Arbitration and choice of law", "1", "3"])], q).startswith(
        "Wren Terms, 13 Arbitration and choice of law › 1 › 3: “California law"
    )
    assert render([cited("(a)", "", ["10 Sharing", "(a)"])], q).startswith("Wren Terms, 10 Sharing › (a): ")
    titled = cited("13.1", "Governing law", ["13 Disputes", "13.1 Governing law"])
    assert render([titled], q).startswith("Wren Terms, 13.1 Governing law: ")
