"""What a question is about: words pointing at the documents are not searched for."""

from __future__ import annotations

import pytest

from qa.question import kinds_of, read_question, topic_tokens, wants_several_documents


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Which documents say the company is not responsible for hackers?", "Is the company responsible for hackers?"),
        ("Which of the three service agreements allow refunds?", "allow refunds"),
        ("What does the agreement say about refunds?", "refunds"),
        ("哪些文件提到了仲裁?", "提到了仲裁"),
    ],
)
def test_words_about_the_documents_are_not_the_topic(question: str, plain: str) -> None:
    assert set(topic_tokens(question)) == set(topic_tokens(plain))


def test_the_topic_keeps_words_that_are_content() -> None:
    assert "cooki" in topic_tokens("Does the cookie policy mention third parties?")
    assert "term" in topic_tokens("Can they change the terms without notice?")
    assert {"third", "parti"} <= set(topic_tokens("What third party services receive my data?"))
    assert "state" in topic_tokens("Which state's law applies?")


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Which policies share data with affiliates?", True),
        ("Compare refunds under both agreements", True),
        ("哪些协议允许退款?", True),
        ("What do the documents say about backups?", True),
        ("这些政策如何处理cookie?", True),
        ("Can Acme close my account?", False),
        ("What third party services receive my data?", False),
        ("SMM会收集我哪些个人信息?", False),
    ],
)
def test_questions_across_documents_are_recognised(question: str, several: bool) -> None:
    assert wants_several_documents(read_question(question), []) is several


@pytest.mark.parametrize(
    ("question", "how", "shown"),
    [
        ("What does 4.2.1 of the Acme terms say?", "label", "4.2.1"),
        ("show me point 3 under Payments", "under_heading", "point 3 under Payments"),
        ("协议第十二条说了什么?", "cn_article", "第十二条"),
        ("What does section 9 say?", "number", "section 9"),
        ("What does section D.3 say?", "label", "D.3"),
        ("What does Section 12(b) say?", "label", "12(b)"),
        ("show me Article E", "label", "Article E"),
        # Asked in the five European languages questions come in most, of a clause by its number.
        ("Was steht in Abschnitt 15?", "number", "Abschnitt 15"),
        ("Que dit l'article 5 ?", "number", "article 5"),
        ("¿Qué dice la cláusula 7?", "number", "cláusula 7"),
        ("Cosa dice l'articolo 3?", "number", "articolo 3"),
        ("O que diz a seção 2?", "number", "seção 2"),
        ("Was steht in § 4?", "number", "§ 4"),
    ],
)
def test_a_clause_reference_is_read_once_with_the_question(question: str, how: str, shown: str) -> None:
    q = read_question(question)
    assert (q.references[0].how, q.references[0].shown) == (how, shown)
    assert q.to_see


def test_the_pronoun_i_after_item_or_part_is_no_clause_number() -> None:
    # Read as item I, "…an item I paid for" was answered with clause 1, whole.
    assert read_question("Can I send back an item I paid for last week?").references == ()
    assert read_question("Which part I should read first?").references == ()
    assert read_question("What does Part I of the Kestrel terms say?").references[0].shown == "Part I"
    assert read_question("show me item II").references[0].shown == "item II"


def test_the_question_carries_kinds_and_whether_it_compares() -> None:
    q = read_question("Does the NDA or the privacy policy allow sharing?")
    assert q.kinds == {"nda", "privacy"}
    # ...in the European languages a question may be asked in too.
    assert read_question("Was steht in der Datenschutzerklärung über Cookies?").kinds == {"privacy"}
    assert read_question("¿Qué dicen los términos de uso sobre reembolsos?").kinds == {"terms"}
    assert read_question("Que disent les conditions d'utilisation sur les remboursements ?").kinds == {"terms"}
    assert read_question("¿Cuánto dura el acuerdo de licencia?").kinds == {"licence"}
    assert read_question("Was regelt die Geheimhaltungsvereinbarung?").kinds == {"nda"}
    assert not read_question("Can they close my account?").compares
    assert read_question("Compare the refund rules").compares
    # "Which of these" asks about the documents when a verb follows it, not when a thing does.
    assert read_question("Which of these can terminate my account without notice?").compares
    assert read_question("Which of them let me opt out of arbitration?").compares
    assert not read_question("Which of these rights can I use to delete my data?").compares
    assert read_question("Can they close my account?").references == ()


@pytest.mark.parametrize(
    ("question", "about_versions"),
    [
        ("What changed in the Zephyr terms?", True),
        ("What's new in the Acme policy?", True),
        ("协议更新了什么?", True),
        ("How does Acme notify me of changes to its terms?", False),
        ("What are the differences between the Acme and Beta policies on data retention?", False),
        ("Can they change the terms without telling me?", False),
    ],
)
def test_only_questions_about_versions_ask_what_changed(question: str, about_versions: bool) -> None:
    assert read_question(question).changes is about_versions


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        # A web page's title with its site's name in it: terms of service, so flagged and declined as
        # terms are, though it says "privacy".
        ("Harbor Global Privacy Control Terms of Service", {"terms"}),
        ("Harbor Privacy Policy", {"privacy"}),
        ("Harbor End User License Agreement and Terms of Service", {"licence", "terms"}),
        ("Terms of Use & Privacy Policy", {"terms", "privacy"}),
        ("Privacy and Cookie Policy", {"privacy", "cookies"}),
        ("Harbor Notes", set()),
    ],
)
def test_a_title_is_of_the_kind_it_ends_with_and_those_joined_to_it(title: str, kinds: set[str]) -> None:
    assert kinds_of(title) == kinds
