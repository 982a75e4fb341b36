"""A question that only names documents: in a conversation, the earlier question asked again of them;
alone, what to ask and the documents' sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.chain import Clausewise
from qa.followup import asks_only_names
from qa.question import read_question

from .conftest import engine_over, run_module

EARLIER = "Can Smartproxy close my account without notice?"


def test_a_follow_up_naming_another_document_asks_the_earlier_question_of_it(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("And the App?", previous=EARLIER)
    assert a.status == "answered" and a.follows == EARLIER and a.question == "And the App?"
    assert a.scope == ["app-service-agreement"]
    assert a.citations and {c.doc_id for c in [*a.citations, *a.related]} == {"app-service-agreement"}
    assert any("Cancellation of account" in c.path[0] for c in a.citations), [c.path for c in a.citations]
    text = corpus_engine.snapshot().docs["app-service-agreement"].text
    assert all(text[c.start : c.end] == c.quote for c in a.citations)


def test_the_cli_takes_the_question_before(corpus_engine: Clausewise) -> None:
    run = run_module("qa", "ask", "And the App?", "--previous", EARLIER, home=corpus_engine.settings.home)
    assert run.returncode == 0, run.stderr
    assert f"(read with the question before, “{EARLIER}”, asked of App Service Agreement)" in run.stderr
    assert run.stdout.startswith("App Service Agreement, ")


def test_a_chinese_follow_up_names_the_document_in_its_own_words(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("那脉邦呢?", previous=EARLIER)
    assert a.follows == EARLIER and a.scope == ["maibang-scrm-user-service-agreement"]
    assert a.citations and {c.doc_id for c in a.citations} == {"maibang-scrm-user-service-agreement"}


def test_a_follow_up_of_a_follow_up_keeps_the_question_first_asked(corpus_engine: Clausewise) -> None:
    second = corpus_engine.ask("And the App?", previous=EARLIER)
    third = corpus_engine.ask("What about SocialSmartly?", previous=second.follows or second.question)
    assert third.follows == EARLIER and third.scope == ["socialsmartly-privacy-policy"]


def test_a_follow_up_naming_a_kind_alone_asks_it_of_the_company_asked_about(tmp_path: Path) -> None:
    # After "Can Strava change its terms?", "And the privacy policy?" was asked of every privacy policy
    # indexed, Strava's last; the bundled ones answered.
    cw = engine_over(
        tmp_path,
        {
            "orbit-terms.txt": "Orbit Terms of Service\n\n1. Changes\nOrbit may change these terms at any time.\n",
            "orbit-privacy.txt": "Orbit Privacy Policy\n\n1. Updates\nOrbit may update this privacy policy by "
            "e-mailing you thirty days before.\n",
            "quill-privacy.txt": "Quill Privacy Policy\n\n1. Changes\nQuill may change this policy at any time.\n",
        },
    )
    a = cw.ask("And the privacy policy?", previous="Can Orbit change its terms?")
    assert a.follows == "Can Orbit change its terms?" and a.scope == ["orbit-privacy"]
    # Asked without a name before it, the kind still means every document of that kind.
    assert sorted(cw.ask("And the privacy policy?", previous="Can they change the terms?").scope) == [
        "orbit-privacy",
        "quill-privacy",
    ]


def test_a_question_of_its_own_is_not_a_follow_up(corpus_engine: Clausewise) -> None:
    a = corpus_engine.ask("Can the App change its fees?", previous=EARLIER)
    assert a.follows is None and a.question == "Can the App change its fees?"


def test_naming_a_document_alone_asks_what_to_know_and_lists_its_sections(corpus_engine: Clausewise) -> None:
    # With no question before it, after one that only named a document, or after one about this same one.
    for previous in (None, "App", EARLIER):
        a = corpus_engine.ask("Smartproxy", previous=previous)
        assert a.status == "not_addressed" and a.kind == "outline" and not a.citations and a.follows is None
        assert a.text.startswith("What would you like to know about Smartproxy User Service Agreement?")
        starts = [c.start for c in a.related]
        assert len(starts) == 8 and starts == sorted(starts), "the sections in the document's order"
        assert "The first 8 of " in a.text, "…and that there are more than those shown"
        assert a.related[1].path == ["1 Confirmation and Acceptance of Agreement Content"]


@pytest.mark.parametrize(
    ("question", "only_names"),
    [
        ("And the App?", True),
        ("What about Smartproxy?", True),
        ("And in SMM's privacy policy?", True),
        ("How about the MaiBang agreement then?", True),
        ("Et pour SocialSmartly ?", True),
        ("Und bei Smartproxy?", True),
        ("¿Y la App?", True),
        ("E quanto à App?", True),
        ("SMM的隐私政策呢?", True),
        ("Can Smartproxy close my account?", False),
        ("Can I sue Smartproxy?", False),  # "sue" is an Italian function word, "can" is not
        ("Is Smartproxy free?", False),
        ("Does Smartproxy list its price changes?", False),
        ("Smartproxy 3.1.2", False),
        ("脉邦协议第三条", False),
    ],
)
def test_which_questions_only_name_documents(corpus_engine: Clausewise, question: str, only_names: bool) -> None:
    snap = corpus_engine.snapshot()
    named = snap.docs_named_in(read_question(question))
    assert named, "every question here names a document"
    assert asks_only_names(snap, question, named) is only_names
