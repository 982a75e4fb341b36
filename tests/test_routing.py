"""Many similar documents loaded: a question reaches the document it names, by name or by kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.chain import Clausewise
from qa.settings import Settings

from .conftest import engine_over

POLICY = """{name} Privacy Policy

1. Data we collect
{name} collects your name, e-mail address and payment details when you subscribe.

2. Sharing
{share}

3. Cookies
{name} uses cookies to keep you signed in. You can reject cookies in your browser.
"""

NDA = """Mutual Non-Disclosure Agreement

1. Confidential Information
"Confidential Information" means any non-public information disclosed by one party to the other.

2. Return of materials
On request, the receiving party shall return or destroy all Confidential Information within 30 days.

3. Term
The obligations of this Agreement last for three (3) years from the date of disclosure.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Clausewise:
    root = tmp_path_factory.mktemp("similar")
    docs = root / "docs"
    docs.mkdir()
    shares = {
        "globex": "Globex never sells personal data to anyone.",
        "initech": "Initech sells aggregated personal data to advertising partners.",
        "umbrella": "Umbrella shares personal data with its affiliates only.",
    }
    for slug, share in shares.items():
        text = POLICY.format(name=slug.capitalize(), share=share)
        (docs / f"{slug}-privacy-policy.txt").write_text(text, encoding="utf-8")
    (docs / "mutual-nda.txt").write_text(NDA, encoding="utf-8")
    cw = Clausewise(Settings(home=root / "home"))
    assert cw.ingest([docs]).ok
    return cw


def test_a_named_company_gets_its_own_document(engine: Clausewise) -> None:
    a = engine.ask("Does Initech sell my data?")
    assert a.status == "answered" and {c.doc_id for c in a.citations} == {"initech-privacy-policy"}
    assert "advertising partners" in a.citations[0].quote


def test_a_kind_of_document_routes_to_the_documents_of_that_kind(engine: Clausewise) -> None:
    a = engine.ask("How long do the obligations under the NDA last?")
    assert a.scope == ["mutual-nda"] and a.citations[0].doc_id == "mutual-nda"
    assert "three (3) years" in a.citations[0].quote
    b = engine.ask("Which privacy policies let me reject cookies?")
    assert set(b.scope) == {"globex-privacy-policy", "initech-privacy-policy", "umbrella-privacy-policy"}
    assert {c.doc_id for c in b.citations} <= set(b.scope)


def test_a_kind_every_document_shares_does_not_narrow_anything(engine: Clausewise) -> None:
    a = engine.ask("What do the agreements say about returning confidential information?")
    assert a.scope == [] and a.citations[0].doc_id == "mutual-nda"


def test_a_kind_of_document_that_is_not_indexed_is_said_so(engine: Clausewise) -> None:
    a = engine.ask("What does the employment contract say about notice periods?")
    assert a.notice is not None and "employment contract" in a.notice
    assert engine.ask("How long do the obligations under the NDA last?").notice is None


def test_what_a_question_asks_is_read_without_the_names_that_scoped_it(engine: Clausewise) -> None:
    snap = engine.snapshot()
    assert snap.without_names("Does Initech sell my data?", ["initech-privacy-policy"]) == "Does sell my data?"
    # Another document's name stays; a question that is only a name is left whole.
    assert snap.without_names("Does Initech sell my data?", ["globex-privacy-policy"]) == "Does Initech sell my data?"
    assert snap.without_names("Initech?", ["initech-privacy-policy"]) == "Initech?"
    # A capitalised article before the name goes with it ("The Verge"); a lower-case one is the sentence's.
    asked = snap.without_names("¿Puedo pedir a The Initech que borre mis datos?", ["initech-privacy-policy"])
    assert asked == "¿Puedo pedir a que borre mis datos?"
    assert (
        snap.without_names("Does the Initech app sell my data?", ["initech-privacy-policy"])
        == "Does the app sell my data?"
    )


def test_a_name_the_document_writes_in_full_is_cut_out_whole(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Saved as "quillon-privacy.txt", the document calls itself "Quillon Academy": a question about
    # "Quillon Academy" is asked without "Academy" too, which otherwise pulled it to the units naming it.
    root = tmp_path_factory.mktemp("fullname")
    text = (
        "Privacy Notice\n\n1. About us\nQuillon Academy runs online courses. Contact Quillon Academy at help@quillon.example.\n\n"
        "2. Data we collect\nQuillon Academy collects your name, e-mail address and course progress.\n\n"
        "3. Sharing\nWe never sell personal data. Teachers at your school see your course progress.\n\n"
        "4. Retention\nWe keep your data for as long as your account is active and delete it 30 days after you close it.\n\n"
        "5. Contacting Quillon Academy\nWrite to the Quillon Academy privacy team with any question.\n"
    )
    (root / "quillon-privacy.txt").write_text(text, encoding="utf-8")
    cw = Clausewise(Settings(home=root / "home"))
    assert cw.ingest([root / "quillon-privacy.txt"]).ok
    assert "Quillon Academy" in cw.snapshot().docs["quillon-privacy"].meta.aliases
    a = cw.ask("How long does Quillon Academy keep my data?")
    assert a.citations[0].label == "4", [c.label for c in a.citations]


def test_a_question_of_one_word_beside_the_name_is_asked_without_the_name(tmp_path: Path) -> None:
    # "Does 4Zephyr refund?" once kept the name, as only "refund" was left without it; the
    # name's words then matched the title line, which was cited as the answer to a refund question.
    body = (
        "Accounts\n\nYou must be 18 or older to hold an account with 4Zephyr. Keep your password secret and "
        "tell us at once if someone else uses it.\n\nContent\n\n4Zephyr may remove posts that break these "
        "terms, and may suspend an account that posts them again.\n\nGoverning law\n\nIrish law governs "
        "these terms, and Irish courts hear any dispute.\n"
    )
    cw = engine_over(tmp_path, {"4zephyr-terms.txt": "Terms and Conditions of 4Zephyr\n\n" + body})
    snap = cw.snapshot()
    doc = next(iter(snap.docs))
    assert snap.without_names("Does 4Zephyr refund?", [doc]) == "Does refund?"
    a = cw.ask("Does 4Zephyr refund?")
    assert a.scope == [doc]
    assert all("Terms and Conditions" not in c.quote for c in a.citations)
