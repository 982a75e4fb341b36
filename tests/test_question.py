"""What a question is about: words pointing at the documents are not searched for."""

from __future__ import annotations

import pytest

from qa.question import topic_tokens, wants_several_documents


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
    assert wants_several_documents(question, []) is several
