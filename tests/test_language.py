"""Reader's words against the document's: the lexicon, values a question asks for, questions in the other language."""

from __future__ import annotations

import random
import string
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import snowballstemmer

from ingest.embed import E5Embedding
from ingest.sentences import sentences
from ingest.text import tokens
from qa.chain import Clausewise
from qa.clause_types import route
from qa.lexicon import Lexicon, coverage, lexicon, said_otherwise
from qa.question import read_question
from qa.values import asked_value, contains_value

from .conftest import engine_over

SMALL = Lexicon.parse(
    """
# comment lines and blank lines are skipped

refund | money back | 退款
account | login | user name | 账号
"""
)


def test_a_question_searches_for_the_other_words_of_its_groups() -> None:
    exp = SMALL.expansions("How do I get my money back?")
    assert exp["refund"] == 1.0 and "退款" in exp
    assert "money" not in exp, "the question's own words are not expansions"
    # A phrase of several words shares its weight: "user name" must not search for "user" in full.
    assert SMALL.expansions("Can I share my login?")["user"] == 0.5
    assert "account" in SMALL.expansions("我的账号") and "login" in SMALL.expansions("我的账号")
    assert SMALL.expansions("What is the governing law?") == {}


def test_english_phrases_match_after_stemming_and_chinese_as_text() -> None:
    assert "account" in SMALL.expansions("Two logins for one team?")
    assert "refund" in SMALL.expansions("可以退款吗")
    assert SMALL.expansions("moneyback") == {}, "whole words only"
    assert "refund" in SMALL.expansions("I want back my money"), "a phrase's words in any order"
    assert SMALL.expansions("money is not coming back") == {}, "…but close together"


def test_coverage_gives_part_credit_for_a_sibling() -> None:
    q = read_question("Can I get my money back?", SMALL)
    weights = dict.fromkeys(q.topic, 1.0)
    full = coverage(q, frozenset(tokens("money back within 14 days")), weights)
    part = coverage(q, frozenset(tokens("refunds within 14 days")), weights)
    none = coverage(q, frozenset(tokens("payment by card")), weights)
    assert full == 1.0 and 0 < part < full and none == 0.0
    assert said_otherwise(q, "money", set(tokens("refunds are paid")))
    assert not said_otherwise(q, "money", set(tokens("payment by card")))
    # A phrase of several words must be said as a phrase, not word by word across the document.
    q = read_question("Can I share my login?", SMALL)
    scattered = "Every user gets a file. Its name is random."
    assert said_otherwise(q, "login", set(tokens("Pick a user name.")), ["Pick a user name."])
    assert not said_otherwise(q, "login", set(tokens(scattered)), [scattered])


def test_a_word_in_british_spelling_is_the_same_word_in_american_spelling() -> None:
    # A reader in London asks of an American policy, or one in Ohio of a British one: the stemmer kept
    # "personalised" and "personalized" apart, so the question's words were missing from the document.
    american = frozenset(
        tokens("We analyze your behavior to show personalized ads, under your organization's license.")
    )
    british = frozenset(
        tokens("We analyse your behaviour to show personalised ads, under your organisation's licence.")
    )
    assert set(read_question("Do they analyse my behaviour for personalised ads?").topic) <= american
    assert set(read_question("Does my organization's license show personalized ads?").topic) <= british


def test_the_shipped_lexicon_is_well_formed() -> None:
    lex = lexicon()
    assert len(lex.groups) >= 60
    seen: dict[str, int] = {}
    for i, group in enumerate(lex.groups):
        assert len(group) >= 2, group
        for p in group:
            assert p.terms, f"{p.text!r} has no searchable words"
            seen.setdefault(p.text, i)
    assert "coworker" in seen and "收集" in seen
    # One word stands for one idea: a stem in two groups would pull unrelated clauses in.
    groups_of: dict[tuple[str, ...], set[int]] = {}
    for i, group in enumerate(lex.groups):
        for p in group:
            if len(p.terms) == 1:
                groups_of.setdefault(p.terms, set()).add(i)
    shared = {t for t, gs in groups_of.items() if len(gs) > 1} - {("sign",), ("pay",)}  # "sign in/up", "pay late"
    assert not shared, shared


def test_bm25_finds_a_clause_worded_differently_from_the_question(fixture_engine: Clausewise) -> None:
    snap = fixture_engine.snapshot()
    for question in ("How do I get my money back?", "怎么退款?"):
        scores = snap.bm25_scores(read_question(question))
        best = snap.chunks[int(np.argmax(scores))]
        assert scores.max() > 0 and "Refund" in best.text, question


def test_an_unused_word_with_a_sibling_in_the_document_is_not_foreign(fixture_engine: Clausewise) -> None:
    # Globex says "turn cookies off"; a reader says "disable". Both belong to the same group.
    a = fixture_engine.ask("Can I disable cookies in Globex?")
    assert a.status == "answered" and a.citations[0].doc_id == "globex-privacy-md"


def test_free_is_a_price_only_where_fees_are_spoken_of() -> None:
    assert contains_value("price", "The trial is free of charge for 14 days.")
    assert contains_value("price", "The Pro plan costs $12 a month.")
    assert contains_value("price", "试用版免费")
    assert not contains_value("price", "Anyone you share content with may use it for free.")
    assert not contains_value("price", "即表示您同意任何人可以免费使用、保存、复制这些内容")


def test_a_chinese_question_finds_the_english_clause_and_is_answered_in_chinese(fixture_engine: Clausewise) -> None:
    a = fixture_engine.ask("Acme 怎么申请退款?")
    assert a.status == "answered"
    assert a.citations[0].clause_id.startswith("acme-terms#2.2")
    assert "：“" in a.text, "the answer's own words follow the question's language; the quote stays English"


def test_a_question_in_a_third_language_is_answered_from_the_english_clause(fixture_engine: Clausewise) -> None:
    # Its words are not the document's, so only meaning can say whether the document answers.
    a = fixture_engine.ask("¿Cómo pido un reembolso a Acme?")
    assert a.status == "answered" and a.citations[0].clause_id.startswith("acme-terms#2.2"), a.citations
    declined = fixture_engine.ask("¿Acme tiene una oficina en Madrid?")
    assert declined.status == "not_addressed"
    assert declined.text.startswith("Los documentos no parecen tratar"), "said in the question's language"


WRITTEN = Path(__file__).parent / "written"  # documents written for one test each, apart from the folders tests index


def written(name: str) -> dict[str, str]:
    """One document of tests/written, as engine_over takes it (file name -> text)."""
    return {name: (WRITTEN / name).read_text(encoding="utf-8")}


@pytest.mark.parametrize(
    "question",
    [
        "Kann ich eine Kopie meiner Daten herunterladen?",
        "¿Puedo descargar una copia de mis datos?",
        "Posso scaricare una copia dei miei dati?",
    ],
)
def test_a_third_language_question_is_quoted_the_sentence_that_answers_it(tmp_path: Path, question: str) -> None:
    # The answer is the third of six sentences of a long section; no word of the question is in it.
    a = engine_over(tmp_path, written("harbourline-privacy.txt")).ask(question)
    assert a.status == "answered"
    # The citation shows the section; the answer's text quotes that sentence first.
    quoted = a.text.split("“", 1)[1]
    assert quoted.startswith("You can download a complete copy"), a.text
    assert "You can download a complete copy" in a.citations[0].quote


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Os termos podem mudar depois de eu me registar?", "ch"),  # the English router: "other"
        ("Haften sie, wenn meine Dateien verloren gehen?", "ltd"),
        ("Kann ich meine Bewertungen verlieren, wenn sie gelöscht werden?", "cr"),
        ("¿Pueden quitarme el acceso a la plataforma?", "ter"),
        ("Selon quel droit national ce contrat sera-t-il jugé ?", "law"),  # courts, with two French questions a type
    ],
)
def test_a_question_in_another_language_is_routed_to_its_clause_type(question: str, kind: str) -> None:
    q = read_question(question)
    assert q.third_language  # so the chain routes it with the other-language router
    routed = route(E5Embedding().query(question), other_language=True)
    assert routed and routed[0][0] == kind, routed


def test_a_title_line_is_not_cited_for_a_question_it_shares_no_word_with(tmp_path: Path) -> None:
    # Short, a title sits close to any question in the embedding space; in another language nothing
    # else tells them apart.
    cw = engine_over(tmp_path, written("northwind-privacy.txt"))
    a = cw.ask("Kann ich mein Northwind-Konto löschen?")
    assert a.status == "answered" and a.citations[0].quote.startswith("You can delete your account")
    quotes = [c.quote for c in a.citations]
    assert "NORTHWIND GAMES PRIVACY POLICY" not in quotes and "Effective 5 May 2026" not in quotes, quotes


@pytest.mark.parametrize(
    ("question", "lang", "speaks", "not_speaks"),
    [
        ("Can they close my account without telling me?", "en", ["en", "mixed"], ["zh", "de"]),
        ("他们可以不通知我就关闭我的账户吗?", "zh", ["zh", "mixed"], ["en"]),
        ("¿Pueden cerrar mi cuenta sin avisarme?", "es", ["es"], ["en", "mixed", "zh"]),
        ("Können sie mein Konto schließen, ohne mir Bescheid zu geben?", "de", ["de"], ["en", "mixed"]),
        ("Will they refund me?", "en", ["en", "mixed"], ["zh"]),  # short: placed among the usual languages
        ("¿me pueden echar?", "es", ["es"], ["en", "mixed", "zh"]),
        ("GDPR?", "und", ["en", "mixed"], ["zh"]),  # a lone acronym: nothing to go on, taken to be English
    ],
)
def test_a_question_knows_its_language_and_which_documents_are_written_in_it(
    question: str, lang: str, speaks: list[str], not_speaks: list[str]
) -> None:
    q = read_question(question)
    assert q.lang == lang
    assert all(q.speaks(d) for d in speaks) and not any(q.speaks(d) for d in not_speaks)


@pytest.mark.parametrize(
    ("question", "clause"), [("¿me pueden echar?", "#3"), ("¿cuánto cuesta?", "#2"), ("¿hay reembolsos?", "#2")]
)
def test_a_short_question_in_another_language_is_answered_not_declined(
    tmp_path: Path, question: str, clause: str
) -> None:
    # Too short for the language model's full set of languages, it used to be read as English: none of
    # its words in the document, it was declined.
    a = engine_over(tmp_path, written("kestrel-terms.txt")).ask(question)
    assert a.status == "answered" and a.citations[0].clause_id.endswith(clause), (a.status, a.citations)


def test_a_verb_finds_the_noun_of_its_group(tmp_path: Path) -> None:
    # "owns" and "ownership" are different words to the index; without the lexicon joining them, the
    # question shared one word ("upload"'s sibling "files") with the clause and was declined.
    a = engine_over(tmp_path, written("brindle-terms.md")).ask("Who owns what I upload?")
    assert a.status == "answered" and a.citations[0].label == "3", (a.status, a.citations)


def test_a_question_about_raising_prices_finds_the_clause_on_changing_fees(tmp_path: Path) -> None:
    # "raise" is in no clause: the question was declined beside "We may change our fees".
    cw = engine_over(tmp_path, written("brindle-terms.md"))
    for question in ("Can they raise their fees?", "Can Brindle increase the fee for Plus?"):
        a = cw.ask(question)
        assert a.status == "answered" and a.citations[0].label == "6", (question, a.status, a.citations)


def test_a_japanese_question_is_not_taken_for_chinese(tmp_path: Path) -> None:
    # Its Chinese characters made it "Chinese": the answer was worded in Chinese ("，5 The law that applies：“").
    question = "どの国の法律が適用されますか?"  # asks for the governing law
    q = read_question(question)
    assert (q.zh, q.lang) == (False, "ja")
    a = engine_over(tmp_path, written("kestrel-terms.txt")).ask(question)
    assert a.status == "answered" and a.citations[0].label == "5", a.citations
    assert "：“" not in a.text and ": “" in a.text


def test_an_english_question_finds_the_clause_of_a_chinese_only_document(tmp_path: Path) -> None:
    cw = engine_over(tmp_path, written("tianma-privacy.txt"))
    a = cw.ask("Will Tianma sell my personal information to third parties?")
    assert a.status == "answered" and a.citations[0].label == "第二条"
    b = cw.ask("Can children use the service?")
    assert b.status == "answered" and b.citations[0].label == "第三条"
    # 条 numbered on across chapters are looked up by their number wherever they sit.
    c = cw.ask("天马隐私政策第三条是怎么规定的?")
    assert c.kind == "lookup" and c.citations[0].clause_id.endswith("#第二章.第三条")
    assert cw.snapshot().docs["tianma-privacy"].meta.title == "天马隐私政策"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What is MaiBang's phone number?", "phone"),
        ("脉邦的电话是多少?", "phone"),
        ("What is the email address of the privacy officer?", "email"),
        ("How much does Smartproxy cost per GB?", "price"),
        ("Can I reuse the same email or phone number for a new account?", None),
        ("Do they share my email address with advertisers?", None),
        ("Can they change their prices without notice?", None),
        ("How long may a reply to a complaint take?", "duration"),
        ("¿Cuánto tiempo guardan mis datos?", "duration"),
        ("退款需要多久?", "duration"),
        ("Is a log kept of the pages I visit?", None),
        # The value kinds are read in the European languages the duration is read in.
        ("Wie viel kostet die Jahreslizenz?", "price"),
        ("Quel est le tarif de l'offre Pro ?", "price"),
        ("¿Cuál es el número de teléfono de atención al cliente?", "phone"),
        ("Qual è l'indirizzo e-mail del responsabile?", "email"),
        ("¿Puedo cambiar mi número de teléfono?", None),
        ("Posso cambiare il prezzo del mio piano?", None),
    ],
)
def test_only_a_question_asking_for_a_value_needs_one(question: str, asks: str | None) -> None:
    assert asked_value(question) == asks


def test_a_price_asked_in_spanish_of_terms_without_prices_is_not_answered_with_a_clause_about_the_plan(
    tmp_path: Path,
) -> None:
    cw = engine_over(
        tmp_path,
        {
            "orbit-terms.txt": "Orbit Terms of Service\n\n1. Accounts\nYou must keep your password secret.\n\n"
            "2. The Pro plan\nThe Pro plan adds unlimited projects and priority support. You can move to the Pro "
            "plan or leave it at any time from your account page.\n\n"
            "3. Termination\nWe may close accounts that break these terms.\n",
        },
    )
    assert cw.ask("What does the Pro plan of Orbit add?").status == "answered"
    assert cw.ask("¿Cuánto cuesta el plan Pro de Orbit?").status == "not_addressed"


@pytest.mark.parametrize(
    "question", ["How much would Tidewater pay me for damages?", "如果出了问题，他们最多赔我多少钱？"]
)
def test_asked_how_much_they_would_owe_the_liability_cap_answers_without_a_price(tmp_path: Path, question: str) -> None:
    # Read as asking for a price, the question needed a clause holding one: every liability clause gives
    # its cap in words, so the question was declined in English and in Chinese.
    cw = engine_over(
        tmp_path,
        {
            "tidewater-terms.txt": "Tidewater Terms of Service\n\n1. Accounts\nYou must keep your password secret "
            "and tell us at once of any use of your account you did not allow.\n\n"
            "2. Fees\nPaid plans are billed monthly in advance at the rates shown on our pricing page.\n\n"
            "3. Limitation of liability\nTo the fullest extent the law allows, our total liability to you for any "
            "claim arising out of these terms is limited to the fees you paid us in the twelve months before the "
            "claim, and we are not liable for any indirect or consequential loss.\n\n"
            "4. Governing law\nThese terms are governed by the laws of the State of Oregon.\n",
        },
    )
    a = cw.ask(question)
    assert a.status == "answered" and a.citations[0].label == "3", (a.status, a.citations)
    assert cw.ask("How much does the Tidewater plan cost?").status == "not_addressed"  # a price is still needed


def test_a_question_across_documents_reaches_a_document_in_the_other_language(tmp_path: Path) -> None:
    cw = engine_over(
        tmp_path,
        {
            "tianma-privacy.txt": "天马隐私政策\n\n第一条 信息收集\n我们会收集您的姓名和手机号码。\n\n"
            "第二条 信息共享\n未经您的同意，我们不会向任何第三方出售您的个人信息。\n\n"
            "第三条 未成年人\n不满十四周岁的儿童应在监护人的陪同下使用本服务。\n",
            "orbit-privacy.txt": "Orbit Privacy Notice\n\n1. Collection\nWe collect your e-mail address when you sign up.\n\n"
            "2. Selling data\nOrbit never sells your personal information to third parties.\n\n"
            "3. Cookies\nWe use cookies to keep you signed in.\n",
            "zenith-terms.txt": "Zenith Terms of Service\n\n1. Accounts\nYou must keep your password secret.\n\n"
            "2. Payment\nFees are charged monthly in advance and are not refundable.\n",
        },
    )
    a = cw.ask("Which documents promise not to sell my personal information to third parties?")
    cited = {c.doc_id for c in a.citations}
    assert {"tianma-privacy", "orbit-privacy"} <= cited and "zenith-terms" not in cited


def test_words_tokenise_the_same_when_many_questions_are_read_at_once() -> None:
    # Questions are read in several threads at once (the API, the app's sessions); the stemmers must
    # not share state between them. Made-up words, so that no cache answers for the stemmer.
    rng = random.Random(7)
    words = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12))) + rng.choice(SUFFIXES)
        for _ in range(40_000)
    ]
    texts = [" ".join(words[i : i + 50]) for i in range(0, len(words), 50)]
    expected = [[snowballstemmer.stemmer("english").stemWord(w) for w in t.split()] for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(tokens, texts))
    assert got == expected


SUFFIXES = ("ing", "ness", "ations", "ed", "ly", "ies", "ement", "fulness", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Your browser sends us information, e.g. your IP address. We keep it for 30 days.",
            ["Your browser sends us information, e.g. your IP address.", "We keep it for 30 days."],
        ),
        ("Quillon Ltd. may end the service. You may too.", ["Quillon Ltd. may end the service.", "You may too."]),
        ("We keep names, dates, etc. We delete them later.", ["We keep names, dates, etc.", "We delete them later."]),
        (
            "Wir speichern Daten, z.B. Namen bzw. Adressen. Wir löschen sie nach 30 Tagen.",
            ["Wir speichern Daten, z.B. Namen bzw. Adressen.", "Wir löschen sie nach 30 Tagen."],
        ),
        ("我们会保护您的信息。您可以联系我们！", ["我们会保护您的信息。", "您可以联系我们！"]),
        (
            "Termination\nWe may end it; if so, we tell you.",
            ["Termination", "We may end it; if so, we tell you."],
        ),
        (  # an item's number before a word in capitals, as 500px's terms run their items together
            (
                "We pay for (i) a breach, (ii) Content posted, or (iii) a claim. Basically, we are not liable. "
                "(a) Public Chats: The Service hosts them. They are public."
            ),
            [
                "We pay for (i) a breach, (ii) Content posted, or (iii) a claim.",
                "Basically, we are not liable.",
                "(a) Public Chats: The Service hosts them.",
                "They are public.",
            ],
        ),
        (  # a name with a full stop in it, in capitals, as a limitation of liability writes it
            "NEITHER KESTREL.COM NOR ITS STAFF SHALL BE LIABLE. Visit Kestrel.com to ask.Then wait.",
            ["NEITHER KESTREL.COM NOR ITS STAFF SHALL BE LIABLE.", "Visit Kestrel.com to ask.", "Then wait."],
        ),
    ],
)
def test_sentences_end_where_their_language_ends_them(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_a_how_long_question_quotes_the_sentence_with_the_period(tmp_path: Path) -> None:
    # The request section is long enough to be quoted by its best sentences; the period is in one of them.
    filler = " ".join(
        f"Requests of kind {i} are handled by our privacy team as described in this policy." for i in range(8)
    )
    cw = engine_over(
        tmp_path,
        {
            "lumen-privacy.txt": "Lumen Privacy Policy\n\n1. Your requests\n"
            f"You may ask us to access, correct or delete your personal information. {filler} "
            "We will respond to your request within 15 days. Please contact us through the help centre.\n\n"
            "2. Retention\nWe keep your personal information only as long as necessary for the purposes above.\n",
        },
    )
    a = cw.ask("How long will Lumen take to respond once I ask to access my personal information?")
    assert a.status == "answered" and "within 15 days" in a.citations[0].quote, a.citations[0].quote
    # A clause that says how long in words, with no period, still answers.
    a = cw.ask("How long does Lumen keep my personal information?")
    assert a.status == "answered" and "as long as necessary" in a.citations[0].quote
