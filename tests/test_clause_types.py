"""Clause types and risk flags, on two terms of service written for these tests (tests/types/): Brightlane
has every clause CLAUDETTE watches; Quillpad has no arbitration, termination or choice-of-law clause."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from qa import clause_types
from qa.answer.typed import watch_answer
from qa.api import create_app
from qa.chain import Clausewise
from qa.cite import best_passage
from qa.errors import NoFlags
from qa.question import read_question
from qa.settings import Settings
from qa.types import Citation

from .conftest import CORPUS, engine_over, indexed, run_module

TYPES_DIR = Path(__file__).parent / "types"
LEVELS = {"clearly unfair": 3, "potentially unfair": 2}


@pytest.fixture(scope="module")
def terms_engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    return indexed(tmp_path_factory, TYPES_DIR)


def exact(cw: Clausewise, c: object) -> bool:
    return cw.snapshot().docs[c.doc_id].text[c.start : c.end] == c.quote  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def ferry_engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    """Ferry terms whose courts (8) and governing law (12) are sections apart, among 27."""
    return indexed(tmp_path_factory, Path(__file__).parent / "leaning")


def test_a_question_between_two_clause_types_shows_the_clauses_of_both(ferry_engine: Clausewise) -> None:
    # The router reads "where" as jurisdiction first and "under what rules" as governing law second.
    a = ferry_engine.ask("Where and under what rules would a disagreement with them be settled?", ["tidewater"])
    shown = [c.label for c in [*a.citations, *a.related][:5]]
    assert shown[0] == "8" and "12" in shown, shown


def test_related_reading_leaves_out_units_that_are_only_a_title(ferry_engine: Clausewise) -> None:
    a = ferry_engine.ask("Where and under what rules would a disagreement with them be settled?", ["tidewater"])
    assert len(a.related) == 8
    assert not [
        c.quote
        for c in a.related
        if c.quote.strip() in ("Last updated 3 March 2026", "Tidewater Ferries App Terms of Use")
    ]
    # Asked for, a title line is still quoted.
    dated = ferry_engine.ask("When were the Tidewater terms last updated?")
    assert any(c.quote == "Last updated 3 March 2026" for c in dated.citations), [c.quote for c in dated.citations]


def test_flags_list_the_risky_clauses_most_serious_first(terms_engine: Clausewise) -> None:
    _, found = terms_engine.flags("brightlane")
    kinds = {k for f in found for k in f.kinds}
    assert {"a", "ter", "law", "j", "ltd"} <= kinds
    levels = [LEVELS[f.level_name] for f in found]
    assert levels == sorted(levels, reverse=True)
    assert all(exact(terms_engine, f.citation) for f in found)
    arbitration = next(f for f in found if "a" in f.kinds)
    assert "binding arbitration" in arbitration.citation.quote
    assert arbitration.level_name == "potentially unfair"  # always so for arbitration, as CLAUDETTE has it
    assert [f.citation.n for f in found] == list(range(1, len(found) + 1))
    # A flag quotes the clause's words; its title is shown beside the quote, not repeated in it.
    titled = [f.citation for f in found if f.citation.heading]
    assert titled and not any(c.quote.startswith((c.label, c.heading)) for c in titled)
    _, quillpad = terms_engine.flags("quillpad")
    assert all("." in f.citation.quote for f in quillpad)  # its title line is no clause to flag


def test_a_document_without_the_asked_clause_type_says_so(terms_engine: Clausewise) -> None:
    a = terms_engine.ask("Do disputes have to go to an arbitrator?", ["quillpad"])
    assert a.status == "not_addressed"
    assert "has no arbitration clause" in a.text
    assert a.related and all(exact(terms_engine, c) for c in a.related)  # the nearest, as related reading
    a = terms_engine.ask("Do disputes have to go to an arbitrator?", ["brightlane"])
    assert a.status == "answered"
    assert a.citations[0].path[-1].startswith("7 Dispute Resolution")


def test_a_question_about_a_clause_type_cites_that_clause_first(terms_engine: Clausewise) -> None:
    # The suspension clause shares more of the question's words; the question is about liability.
    a = terms_engine.ask("Is Brightlane liable if they suspend my account and I lose my files?", ["brightlane"])
    assert a.status == "answered"
    assert a.citations[0].path[-1] == "6 Limitation of Liability"
    assert all(exact(terms_engine, c) for c in a.citations)


@pytest.fixture(scope="module")
def mixed_engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    """Parcelle: an arbitration sentence inside a long paragraph about problems with an order; Tessera:
    its choice of law inside "Miscellaneous", and no termination clause."""
    return indexed(tmp_path_factory, Path(__file__).parent / "mixed")


def test_the_clause_of_the_asked_type_leads_however_its_words_score(terms_engine: Clausewise) -> None:
    # In Italian the question shares no word with any clause, and the billing section sat closer to it
    # than the termination section the router and the detector point to.
    a = terms_engine.ask("Posso essere bannato dal servizio?", ["brightlane-terms"])
    assert a.citations[0].heading == "Suspension and Termination", [c.heading for c in a.citations]


def test_the_clause_of_the_asked_type_leads_however_far_down_retrieval_ranks_it(
    terms_engine: Clausewise, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked in Spanish, Zoom's "11. TERMINATION" ranked 51st of its 71 units, behind the page's navigation,
    # and the question was answered from the 40 ranked first. Here retrieval's pool is one unit deep.
    monkeypatch.setattr("qa.chain.TYPED_POOL", 1)
    a = terms_engine.ask("Posso essere bannato dal servizio?", ["brightlane-terms"])
    assert a.citations[0].heading == "Suspension and Termination", [c.heading for c in a.citations]


def test_a_chinese_question_is_routed_by_the_router_of_other_languages(terms_engine: Clausewise) -> None:
    # The English router read this question about being made to arbitrate as one about courts.
    a = terms_engine.ask("如果和他们有纠纷,我必须走仲裁程序吗?", ["brightlane-terms"])
    assert a.citations[0].heading == "Dispute Resolution and Arbitration", [c.heading for c in a.citations]


def test_a_long_clause_is_quoted_by_its_sentences_of_the_asked_type(mixed_engine: Clausewise) -> None:
    snap = mixed_engine.snapshot()
    clause = next(c for c in snap.docs["parcelle-terms"].clauses.values() if c.label == "2")
    q = read_question("What if support cannot settle my problem?")
    text = snap.docs["parcelle-terms"].text

    def quoted(asks: str | None) -> str:
        s, e = best_passage(snap, clause, clause.start, clause.body_end, replace(q, asks=asks))
        return text[s:e]

    # Its words alone point at the support sentences; asked about arbitration, the quote is that sentence.
    assert "binding arbitration" not in quoted(None)
    assert quoted("a").startswith("Any dispute between you and Parcelle") and "binding arbitration" in quoted("a")


def test_the_document_rule_reads_sentences_as_well_as_units(mixed_engine: Clausewise) -> None:
    # Tessera's choice of law is one sentence of its "Miscellaneous" section; it has no clause letting it
    # close accounts, though its account and transfer sentences brush against one.
    snap = mixed_engine.snapshot()
    law = clause_types.presence(snap, "tessera-terms", "law")
    assert law is not None and law.present
    a = mixed_engine.ask("Under which state's law would a dispute with Tessera be decided?", ["tessera-terms"])
    assert a.status == "answered"
    assert "laws of the State of New York" in a.citations[0].quote and exact(mixed_engine, a.citations[0])
    a = mixed_engine.ask("Can Tessera shut down my account whenever they like?", ["tessera-terms"])
    assert a.status == "not_addressed" and "has no unilateral termination clause" in a.text
    assert a.related and all(exact(mixed_engine, c) for c in a.related)


def test_across_documents_the_ones_without_such_a_clause_are_named(terms_engine: Clausewise) -> None:
    a = terms_engine.ask("Which of these services can close my account without notice?")
    assert a.status == "answered"
    assert {c.doc_id for c in a.citations} == {"brightlane-terms"}
    assert "5 Suspension and Termination" in a.citations[0].path[-1]
    assert "No unilateral termination clause in: Quillpad Notes Terms of Service." in a.text


def test_across_documents_each_answers_with_its_clause_of_the_asked_type(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    cw = Clausewise(Settings(home=tmp_path_factory.mktemp("across-home")))
    assert cw.ingest([TYPES_DIR, Path(__file__).parent / "leaning"]).ok
    a = cw.ask("Which of these terms say where I would have to sue?")
    first: dict[str, Citation] = {}
    for c in a.citations:
        first.setdefault(c.doc_id, c)
    # Each one's courts clause, not its arbitration, contact or severability clause that retrieval ranks higher.
    assert first["brightlane-terms"].heading == "Governing Law and Courts", first["brightlane-terms"].path
    assert first["tidewater-terms"].heading == "Settling Disagreements", first["tidewater-terms"].path
    assert all(exact(cw, c) for c in a.citations)
    assert "No jurisdiction clause in: Quillpad Notes Terms of Service." in a.text


def test_across_documents_one_said_to_have_the_type_is_not_called_silent(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    cw = Clausewise(Settings(home=tmp_path_factory.mktemp("said-home")))
    assert cw.ingest([CORPUS, TYPES_DIR, Path(__file__).parent / "leaning"]).ok
    a = cw.ask("Which agreements let the company change the terms at any time?")
    # SocialSmartly's policy-update section is found by its sentences, no unit of it tagged as one; it
    # ranks behind the terms' change clauses, and was said not to address the question.
    updates = [c for c in a.citations if c.doc_id == "socialsmartly-privacy-policy"]
    assert [c.heading for c in updates] == ["Policy Updates"], a.text[-300:]
    assert "No unilateral change clause in: Quillpad Notes Terms of Service." in a.text


def test_asking_what_to_watch_out_for_answers_with_the_flags(terms_engine: Clausewise) -> None:
    a = terms_engine.ask("What should I watch out for in the Brightlane terms?")
    _, found = terms_engine.flags("brightlane")
    assert a.kind == "flags" and a.status == "answered"
    assert [c.clause_id for c in a.citations] == [f.citation.clause_id for f in found]
    assert "not legal advice" in a.text
    assert all(exact(terms_engine, c) for c in a.citations)


def test_privacy_policies_are_not_flagged_nor_declined_by_type(corpus_engine: Clausewise) -> None:
    _, found = corpus_engine.flags("smm-privacy-policy")
    assert found == []
    snap = corpus_engine.snapshot()
    q = read_question("What should I watch out for?")
    assert watch_answer(snap, q, ["smm-privacy-policy"]) is None  # answered as any other question
    both = watch_answer(snap, q, ["app-service-agreement", "smm-privacy-policy"])
    assert both is not None and both.citations
    assert "SMM Privacy Policy: risk flags cover consumer terms of service; this document is not one" in both.text
    # Whether a privacy policy lacks an arbitration clause is not the detector's call (it learned on terms).
    assert corpus_engine.ask("Am I forced into arbitration?", ["smm-privacy-policy"]).kind != "type"


def test_a_contract_between_two_companies_is_not_read_as_consumer_terms(tmp_path: Path) -> None:
    written = Path(__file__).parent / "written" / "northgate-outsourcing-agreement.txt"
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([written]).ok
    doc = "northgate-outsourcing-agreement-txt"
    # CLAUDETTE's detector and flags know consumer terms; "by and between Northgate Logistics, Inc. …
    # and Harbor Freight Services, LLC" is a contract between businesses.
    assert cw.flags(doc)[1] == []
    asked = cw.ask("Can either party end the agreement if the other defaults?", [doc])
    assert asked.status == "answered" and asked.citations[0].clause_id.endswith("#2.2"), asked.text


def test_a_question_about_a_privacy_practice_shows_the_policys_clauses_on_it(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("Can I get a copy of my data or have it deleted?", ["socialsmartly-privacy-policy"])
    assert a.status == "answered"
    shown = [c.path[-1] for c in [*a.citations, *a.related]]
    # How to make such a request and when they answer: a clause with few of the question's words, found
    # among the policy's units on the practice though retrieval ranks it far down.
    assert "(vi) Responding to your requests as described above" in shown
    assert all(corpus_engine.snapshot().docs[c.doc_id].text[c.start : c.end] == c.quote for c in a.related)


def test_a_general_question_about_a_practice_cites_the_policys_section_on_it_first(corpus_engine: Clausewise) -> None:
    # The practice ranker weighs how likely each unit is of the practice asked about (first-party
    # collection and use). Retrieval alone put first a sentence about collecting without consent.
    a = corpus_engine.ask("What do you do with the information you gather about me?", ["socialsmartly-privacy-policy"])
    assert a.status == "answered"
    assert a.citations[0].path[-1] == "二 Information collection and use", [c.path for c in a.citations]
    # ...and the unit retrieval ranks first, nearest the question's words, is still cited.
    assert any("explicit consent" in c.quote for c in a.citations[1:])


ORBIT_POLICY = """Orbit Privacy Policy

Information We Collect

We collect the name, email address and phone number you give us when you register. We collect your \
device's IP address, browser type, operating system and the pages you visit. We collect the location of \
your device when you allow it. We collect the payment card details you enter when you buy a plan.

How We Use Information

We use your information to run the service, to personalise what you see, to measure how the service is \
used and to send you messages about your account.

Service Providers

We share information with companies that host our servers, process payments and send our emails for us, \
under contracts that limit their use of it.

Sale of Information

Orbit has never sold personal information to anyone and will never sell it.
"""


def test_a_users_question_the_router_reads_as_another_practice_still_cites_the_clause_that_answers_it(
    tmp_path: Path,
) -> None:
    # The router reads "sold" as collection and use; on the practice ranker's order alone (its share 1)
    # the policy's use section came first. The general ranker's share puts the sale clause first.
    from qa import rank

    cw = engine_over(tmp_path, {"orbit-privacy.txt": ORBIT_POLICY})
    a = cw.ask("Is my information sold?", ["orbit-privacy"])
    assert a.status == "answered" and a.citations[0].path[-1] == "Sale of Information", [c.path for c in a.citations]
    assert rank.models().practice_share < 1


def test_flags_command_prints_and_exports_the_flags(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_module("ingest", str(TYPES_DIR), home=home).returncode == 0
    out = run_module("qa", "flags", "brightlane", home=home)
    assert out.returncode == 0, out.stderr
    assert "arbitration — potentially unfair" in out.stdout and "not legal advice" in out.stdout
    data = json.loads(run_module("qa", "flags", "brightlane-terms.txt", "--json", home=home).stdout)
    assert data["title"] == "Brightlane Streaming Terms of Use"
    assert any("a" in f["types"] and "arbitration" in f["citation"]["quote"] for f in data["flags"])
    missing = run_module("qa", "flags", "spotify", home=home)
    assert missing.returncode == 2 and "no document matches 'spotify'" in missing.stderr


def test_flags_endpoint(terms_engine: Clausewise) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(create_app(terms_engine))
    r = client.get("/v1/documents/brightlane-terms/flags")
    assert r.status_code == 200
    body = r.json()
    assert body["doc"] == "brightlane-terms.txt" and body["flags"]
    assert body["flags"][0]["level"] == "clearly unfair"
    assert client.get("/v1/documents/nope/flags").status_code == 404
    clause = client.get("/v1/clauses/brightlane-terms%237").json()  # every clause carries its types
    assert clause["types"][0]["name"] == "arbitration" and clause["types"][0]["probability"] > 0.5


def test_without_the_model_flags_say_what_to_do_and_questions_still_answer(
    terms_engine: Clausewise, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(clause_types, "WEIGHTS", tmp_path / "missing.npz")
    clause_types.type_model.cache_clear()
    terms_engine.corpus.invalidate()
    try:
        with pytest.raises(NoFlags, match="train_types"):
            terms_engine.flags("brightlane")
        a = terms_engine.ask("Do disputes have to go to an arbitrator?", ["brightlane"])
        assert a.status == "answered" and "binding arbitration" in a.citations[0].quote
    finally:
        monkeypatch.undo()
        clause_types.type_model.cache_clear()


def test_a_unit_holding_the_questions_words_is_not_declined_on_the_detectors_word(
    corpus_engine: Clausewise, terms_engine: Clausewise
) -> None:
    # Smartproxy's courts are half a sentence of its governing-law clause, worded as no CLAUDETTE
    # clause is: the detector finds no jurisdiction clause, yet that clause answers the question.
    found = clause_types.presence(corpus_engine.snapshot(), "smartproxy-user-service-agreement", "j")
    assert found is not None and not found.present
    a = corpus_engine.ask("Which court handles disputes under the Smartproxy agreement?")
    assert a.status == "answered" and "detector" not in a.text
    assert "submit it to the court" in a.citations[0].quote and exact(corpus_engine, a.citations[0])
    # ...nor, asked across the documents, is Smartproxy said to have no such clause.
    a = corpus_engine.ask("Which of the agreements say which court handles disputes?")
    assert "No jurisdiction clause" not in a.text
    assert any("submit it to the court" in c.quote for c in a.citations), [c.clause_id for c in a.citations]
    # A question whose words no unit holds is still declined on it.
    a = terms_engine.ask("Which arbitrator would hear my complaint about a late refund?", ["quillpad"])
    assert a.status == "not_addressed" and "has no arbitration clause" in a.text


def test_a_unit_that_only_shares_the_word_terms_does_not_answer_for_a_missing_clause(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Quillpad has no governing-law clause; one of its units says "governed" and "terms" of something
    # else. "Terms" says what the document is, not what the question asks of it.
    folder = tmp_path_factory.mktemp("quillpad-imports")
    text = (TYPES_DIR / "quillpad-terms.txt").read_text(encoding="utf-8")
    imports = (
        "9. Imported Notes\nNotes you import from another service remain governed by the terms of "
        "that service, and you are responsible for having the right to import them.\n\n"
        "10. Export\nYou must comply with export control law when you take Quillpad abroad.\n"
    )
    (folder / "quillpad-terms.txt").write_text(text + "\n" + imports, encoding="utf-8")
    cw = indexed(tmp_path_factory, folder)
    law = clause_types.presence(cw.snapshot(), "quillpad-terms", "law")
    assert law is not None and not law.present
    a = cw.ask("Which law governs the Quillpad terms?")
    assert a.status == "not_addressed" and "has no choice of law clause" in a.text, a.text
    assert any("Imported Notes" in (r.heading or "") or "governed by the terms" in r.quote for r in a.related)


def test_a_document_said_to_have_the_type_cites_its_likeliest_unit_first(corpus_engine: Clausewise) -> None:
    # Smartproxy's governing law is half a sentence: the document rule finds it, no unit reaches the
    # type's threshold, and in Chinese the question shares no word with it.
    law = clause_types.presence(corpus_engine.snapshot(), "smartproxy-user-service-agreement", "law")
    assert law is not None and law.present and not law.units and law.surest is not None
    a = corpus_engine.ask("Smartproxy 的服务条款由哪国法律管辖?")
    assert a.status == "answered"
    assert "governed by the laws of the People's Republic of China" in a.citations[0].quote


LICENCE = """Quillmark Public License Version 1.0

1. Grant
Permission is hereby granted to any person obtaining a copy of the Software to use, copy, modify, merge,
publish and distribute it, with or without changes, for any purpose.

2. Conditions
Each modified copy must carry a notice saying that you changed the files, and the date of the change.

3. No warranty
The Software is provided as is, without warranty of any kind.
"""


def test_a_public_licence_is_not_said_to_lack_a_clause_type(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Asked "can I change it?", the router hears the provider changing its terms: over the GPL, which has
    # no such clause, that was declined as missing, and here the clause most like one (modified copies
    # carry a notice) came before the permission itself.
    root = tmp_path_factory.mktemp("licence")
    (root / "quillmark-license.txt").write_text(LICENCE, encoding="utf-8")
    cw = indexed(tmp_path_factory, root)
    a = cw.ask("Is modifying the software permitted?")
    assert a.status == "answered" and "detector" not in a.text
    assert a.citations[0].label == "1" and "modify" in a.citations[0].quote and exact(cw, a.citations[0])


def test_a_terms_type_asked_of_a_service_by_name_is_answered_from_its_terms(tmp_path: Path) -> None:
    # Strava's terms and privacy policy, both named by "Strava": asked the most Strava would have to pay,
    # the privacy policy's payment details came first and the terms' liability clause was never cited.
    cw = engine_over(
        tmp_path,
        {
            "brightlane-terms.txt": (TYPES_DIR / "brightlane-terms.txt").read_text(encoding="utf-8"),
            "brightlane-privacy.txt": "Brightlane Privacy Policy\n\n1. Payment Information\nWhen you pay Brightlane "
            "for a subscription, our payment processor receives your card number, and we keep the amount you "
            "paid, the date and the last four digits of your card.\n\n2. Your Rights\nYou may ask us for a copy "
            "of your data or to delete it.\n",
        },
    )
    a = cw.ask("What is the most money Brightlane would have to pay me if something goes wrong?")
    assert a.citations[0].doc_id == "brightlane-terms", [c.clause_id for c in a.citations]
    assert a.citations[0].path[-1] == "6 Limitation of Liability"
    # A question of the privacy policy's own matters is still answered from it.
    assert cw.ask("Can I get a copy of my Brightlane data?").citations[0].doc_id == "brightlane-privacy"
