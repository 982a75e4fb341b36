"""Loading files: exact text, BOM handling, and one-line reasons for files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import LoadError
from ingest.load import load_document
from ingest.text import is_date_stamp
from qa.chain import Clausewise
from qa.corpus import Snapshot
from qa.question import read_question
from qa.settings import Settings

from .conftest import CORPUS, engine_over


def test_bundled_documents_load_byte_exact_with_names_people_use() -> None:
    doc = load_document(CORPUS / "maibang-scrm-user-service-agreement.txt")
    assert doc.text == (CORPUS / "maibang-scrm-user-service-agreement.txt").read_bytes().decode("utf-8")
    assert doc.doc_id == "maibang-scrm-user-service-agreement"
    assert doc.title == "MaiBang SCRM User Service Agreement"
    assert {"MaiBang", "脉邦"} <= set(doc.aliases)
    assert load_document(CORPUS / "smm-privacy-policy.txt").title == "SMM Privacy Policy"


TERMS = "1. Rules\r\n\r\n1.1 Be nice to other members of the forum.\r\n"


@pytest.mark.parametrize(
    ("name", "first_line", "body", "title", "alias"),
    [
        # A date or a section heading on the first line is not the document's title.
        (
            "quillon_privacy-policy.txt",
            "Last updated on March 31st, 2024",
            "Quillon collects data.",
            "Quillon Privacy Policy",
            "Quillon",
        ),
        ("quillon.txt", "Introduction", "Quillon provides a service.", "Quillon", "Quillon"),
        ("Quillon_Terms of Service.txt", "Summary", "Quillon may end it.", "Quillon Terms of Service", "Quillon"),
        ("quillon_terms.txt", "Acceptance of the Terms of Service", "Quillon may end it.", "Quillon Terms", "Quillon"),
        # A title that is one still is, and a generic file name keeps whatever the text calls itself.
        ("quillon.txt", "Quillon Terms of Use", "These terms apply.", "Quillon Terms of Use", "Quillon"),
        ("terms.txt", "Welcome to Quillon", "These terms apply.", "Welcome to Quillon", None),
        # A name a web address runs together is found as the text writes it, and not said twice.
        (
            "www.harborlight.com.txt",
            "Harbor Light Privacy Policy",
            "Harbor Light keeps logs.",
            "Harbor Light Privacy Policy",
            "Harbor Light",
        ),
        # ...a number in it too.
        ("4dayhomes-terms.txt", "Terms", "4 Day Homes keeps logs.", "4 Day Homes Terms", "4 Day Homes"),
        # A date and filing labels in a file name are neither title nor name.
        (
            "Quillon_Terms of Use - April 30.txt",
            "Quillon Terms of Use",
            "Quillon may end it.",
            "Quillon Terms of Use",
            "Quillon",
        ),
        (
            "QuillonCorp_20110421_F-1_EX-10.17_License Agreement.txt",
            "License Agreement",
            "Quillon licenses it.",
            "QuillonCorp License Agreement",
            "QuillonCorp",
        ),
    ],
)
def test_titles_and_names_come_from_what_names_the_document(
    tmp_path: Path, name: str, first_line: str, body: str, title: str, alias: str | None
) -> None:
    path = tmp_path / name
    path.write_text(f"{first_line}\n\n1. Scope\n\n{body} It applies to every user of the service.\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.title == title
    if alias:
        assert alias in doc.aliases
    assert not {"April", "F", "EX"} & set(doc.aliases)


@pytest.mark.parametrize(
    ("page_title", "title", "alias"),
    [
        # A page saved under a generic file name is named by its site, which questions use too.
        ("Privacy Policy | Quillon", "Quillon Privacy Policy", "Quillon"),
        ("Terms of Use - The Harbor Light", "The Harbor Light Terms of Use", "Harbor Light"),
        # A slogan names no document.
        ("Quillon.com - Cloud notes for everyone", "Privacy", None),
    ],
)
def test_a_web_page_is_named_by_the_site_its_title_declares(
    tmp_path: Path, page_title: str, title: str, alias: str | None
) -> None:
    page = tmp_path / "privacy.html"
    body = "".join(
        f"<p>{i}. We keep your e-mail address for as long as your account is open, clause {i}.</p>" for i in range(8)
    )
    page.write_text(f"<html><head><title>{page_title}</title></head><body><h1>Privacy</h1>{body}</body></html>")
    doc = load_document(page)
    assert doc.title == title
    if alias:
        assert alias in doc.aliases
    else:
        assert not [a for a in doc.aliases if "quillon" in a.lower()]


@pytest.mark.parametrize(
    ("file", "site", "title"),
    [
        ("bgg-privacy.html", "BoardGameGeek", "BoardGameGeek Privacy Policy"),  # not "Bgg BoardGameGeek …"
        ("wapo-privacy.html", "Washington Post", "Washington Post Privacy Policy"),  # not "Wapo Washington Post …"
    ],
)
def test_a_file_named_by_an_abbreviation_of_the_site_is_not_titled_twice(
    tmp_path: Path, file: str, site: str, title: str
) -> None:
    page = tmp_path / file
    body = "".join(f"<p>{i}. {site} keeps your e-mail address while your account is open.</p>" for i in range(8))
    page.write_text(f"<html><head><title>Privacy Policy | {site}</title></head><body>{body}</body></html>")
    doc = load_document(page)
    assert doc.title == title
    assert {file.split("-")[0], site} <= set(doc.aliases)


def test_a_file_name_word_the_text_writes_only_inside_a_longer_name_names_nothing_and_initials_do(
    tmp_path: Path,
) -> None:
    snap = engine_over(
        tmp_path,
        {
            "quillmark-public-license.txt": "Quillmark Public License Version 1.0\n\n1. Grant\nEach contributor grants "
            "you a licence under the Quillmark Public License to use the software.\n\n2. Notices\nQuillmark may "
            "publish new versions of the Quillmark Public License. Software under the QPL carries this notice.\n",
            "harborlight.txt": "Harbor Light Terms\n\n1. Profiles\nYour Harbor Light profile is public unless you "
            "hide it.\n",
        },
    ).snapshot()
    assert "Public" not in snap.docs["quillmark-public-license"].meta.aliases
    assert files_named_in(snap, "Is my profile public?") == []
    assert files_named_in(snap, "What does the Quillmark licence grant?") == ["quillmark-public-license.txt"]
    # The title's initials, as the text writes them, name it too.
    assert files_named_in(snap, "Does the QPL require a notice?") == ["quillmark-public-license.txt"]


def test_initials_a_document_mentions_but_is_not_do_not_name_it(tmp_path: Path) -> None:
    # As the GNU Lesser General Public License mentions the "GNU GPL" it adds to.
    path = tmp_path / "harbor-lesser.txt"
    path.write_text(
        "Harbor Lesser Open Shared License\n\n1. Scope\nHarbor offers this licence as additional permissions on "
        "top of the OSL, the Open Shared License.\n",
        encoding="utf-8",
    )
    assert "OSL" not in load_document(path).aliases


def test_a_brand_is_named_as_it_writes_itself_not_by_address_country_code_or_common_word(tmp_path: Path) -> None:
    cw = engine_over(
        tmp_path,
        {
            "Quillpoints_UK.txt": "Terms\n\nWhen you sign up with quillpoints.uk you agree to these terms. QuillPoints "
            "may end your account. Write to help@quillpoints.uk or visit quillpoints.uk for help; QuillPoints answers "
            "within a week.\n",
            "tallyho.txt": "END USER LICENCE AGREEMENT\n\nTally.ho lets you share short videos. You must be 13 to use "
            "Tally.ho. Write to privacy@tally.ho or see http://tally.ho/help; tally.ho, Inc. answers within a week.\n",
            "Quillmove-app.txt": "Quillmove Terms of Use\n\nThe app records your steps. Quillmove may update the app at "
            "any time.\n",
        },
    )
    doc = load_document(tmp_path / "docs" / "Quillpoints_UK.txt")
    assert doc.title == "QuillPoints UK Terms"
    assert "UK" not in doc.aliases and "uk" not in doc.aliases, "a country code names no document"
    assert "QuillPoints" in doc.aliases
    assert {"Tally.ho", "tallyho"} <= set(load_document(tmp_path / "docs" / "tallyho.txt").aliases)
    snap = cw.snapshot()
    assert snap.docs_named_in(read_question("How old must I be to use tally.ho?")) == ["tallyho"]
    assert snap.docs_named_in(read_question("Does UK law apply to my account?")) == []
    assert snap.docs_named_in(read_question("Is an app purchase refundable?")) == [], "a common word"
    assert snap.docs_named_in(read_question("Can Quillmove close my account?")) == ["quillmove-app"]
    # A document whose only name is two letters is named by them as written, not by the word "us".
    us = tmp_path / "US_terms.txt"
    us.write_text("Terms\n\nThe US service may close accounts that break these terms.\n")
    assert cw.ingest([us]).ok
    assert cw.snapshot().docs_named_in(read_question("Can they close an account that belongs to us?")) == []
    assert cw.snapshot().docs_named_in(read_question("Can the US service close my account?")) == ["us_terms"]


def files_named_in(snap: Snapshot, question: str) -> list[str]:
    return [snap.docs[d].meta.source for d in snap.docs_named_in(read_question(question))]


def test_a_question_names_a_document_by_the_kind_its_title_gives(tmp_path: Path) -> None:
    # As filings are saved: the company's name for a file name, the kind of agreement in its title only.
    snap = engine_over(
        tmp_path,
        {
            "acme-1.txt": "Acme Maintenance Agreement\n\n1. Support\nAcme answers calls about maintenance within "
            "four hours.\n",
            "acme-2.txt": "Acme Hosting Agreement\n\n1. Uptime\nAcme keeps the hosting servers up.\n",
            "beta.txt": "Program Content License Agreement\n\n1. Licence\nBeta licenses its programs for three years.\n",
        },
    ).snapshot()
    asked = "What does the maintenance agreement say about support calls?"
    assert files_named_in(snap, asked) == ["acme-1.txt"]
    assert files_named_in(snap, "Can the content license agreement end early?") == ["beta.txt"]
    assert files_named_in(snap, "Compare the hosting and maintenance agreements") == ["acme-1.txt", "acme-2.txt"]
    assert files_named_in(snap, "Does the agreement mention uptime?") == [], "every document is an agreement"
    assert files_named_in(snap, "How quickly is maintenance done?") == [], "a title's word alone names nothing"
    # Once it has scoped the question it says nothing more, as a name does; a kind's own words stay.
    assert snap.without_names("Can the Content License Agreement end early?", ["beta"]) == "Can the end early?"
    assert (
        snap.without_names("Can the license agreement end early?", ["beta"]) == "Can the license agreement end early?"
    )


def test_the_words_of_a_title_pick_among_the_documents_of_a_kind(tmp_path: Path) -> None:
    snap = engine_over(
        tmp_path,
        {
            "beta.txt": "Program Content License Agreement\n\n1. Licence\nBeta licenses its programs for three years.\n",
            "gamma.txt": "Desktop Software License Agreement\n\n1. Grant\nGamma grants one seat per licence.\n",
            "delta.txt": "Delta Privacy Policy\n\nDelta keeps your e-mail address.\n",
        },
    ).snapshot()
    assert files_named_in(snap, "May I sublicense under the content license agreement?") == ["beta.txt"]
    assert files_named_in(snap, "May I sublicense under the license agreements?") == ["beta.txt", "gamma.txt"]


def test_a_kind_picks_between_the_documents_one_name_gives(tmp_path: Path) -> None:
    snap = engine_over(
        tmp_path,
        {
            "Ferrow_Privacy Policy.txt": "Ferrow Privacy Policy\n\nFerrow keeps your e-mail address for a year.\n",
            "Ferrow_Terms of Service.txt": "Ferrow Terms of Service\n\nFerrow may change these terms at any time.\n",
            "Quill_Terms of Use.txt": "Quill Terms of Use\n\nQuill may close accounts.\n",
        },
    ).snapshot()
    ferrow = ["Ferrow_Privacy Policy.txt", "Ferrow_Terms of Service.txt"]
    assert files_named_in(snap, "Can Ferrow close my account?") == ferrow, "no kind said: both"
    assert files_named_in(snap, "Will Ferrow warn me before it rewrites the terms?") == ["Ferrow_Terms of Service.txt"]
    assert files_named_in(snap, "For what period does the Ferrow privacy policy keep my e-mail?") == [
        "Ferrow_Privacy Policy.txt"
    ]
    assert files_named_in(snap, "In terms of e-mail, what does Ferrow keep?") == ferrow, "not the terms"
    # A kind said of one company's documents leaves another company, named alone, in the question.
    assert files_named_in(snap, "Do Ferrow's terms say more than Quill about closing accounts?") == [
        "Ferrow_Terms of Service.txt",
        "Quill_Terms of Use.txt",
    ]


def test_a_company_named_beside_its_product_asks_of_the_product_alone(tmp_path: Path) -> None:
    # As Amazon's privacy notice, Prime terms and Alexa terms: "Can Amazon change the Alexa terms?" was
    # answered from all three, and "Can I sue Amazon over Prime?" from the privacy notice too.
    snap = engine_over(
        tmp_path,
        {
            "ferrow-privacy.txt": "Ferrow Privacy Policy\n\nFerrow keeps your e-mail address for a year.\n",
            "ferrow-primo-terms.txt": "Ferrow Primo Terms\n\nFerrow may end your Primo membership at any time.\n",
            "lumo-terms.txt": "Lumo Terms of Use\n\nLumo is a voice service of Ferrow. Ferrow may change these terms.\n",
            "quill-terms.txt": "Quill Terms of Use\n\nQuill may close accounts.\n",
        },
    ).snapshot()
    assert files_named_in(snap, "Can Ferrow change the Lumo terms whenever it wants?") == ["lumo-terms.txt"]
    assert files_named_in(snap, "Can Ferrow cut off my access to Lumo?") == ["lumo-terms.txt"]
    assert files_named_in(snap, "Can I sue Ferrow over Primo?") == ["ferrow-primo-terms.txt"]
    assert sorted(files_named_in(snap, "Does Ferrow sell my data?")) == ["ferrow-primo-terms.txt", "ferrow-privacy.txt"]
    # Named by title too, a company's document stays; another company named beside it leaves them all.
    assert sorted(files_named_in(snap, "Compare the Ferrow privacy policy with the Lumo terms")) == [
        "ferrow-privacy.txt",
        "lumo-terms.txt",
    ]
    assert sorted(files_named_in(snap, "Can Ferrow or Quill close my account?")) == [
        "ferrow-primo-terms.txt",
        "ferrow-privacy.txt",
        "quill-terms.txt",
    ]


def test_a_question_across_the_documents_of_one_name_cites_no_title_line(tmp_path: Path) -> None:
    cw = engine_over(
        tmp_path,
        {
            "Ferrow_Privacy Policy.txt": "FERROW PRIVACY POLICY\n\nInformation We Keep\n\nFerrow keeps your e-mail "
            "address for a year after you close your account.\n\nSharing\n\nFerrow shares data with payment "
            "processors.\n",
            "Ferrow_Terms of Service.txt": "FERROW TERMS OF SERVICE\n\n1. Changes\nFerrow may change these terms at any "
            "time.\n\n2. Law\nIrish law governs these terms.\n",
        },
    )
    for asked in ("Compare Ferrow's documents", "Was sagt Ferrow über meine Daten?"):
        a = cw.ask(asked)
        assert a.citations and not [c.quote for c in a.citations if c.quote.isupper()], asked
    # Asked nothing but the name, the two documents' sections are offered to read, none quoted as an answer.
    a = cw.ask("Was sagt Ferrow?")
    assert not a.citations and [c.path for c in a.related] == [
        ["Information We Keep"],
        ["Sharing"],
        ["1 Changes"],
        ["2 Law"],
    ]
    # ...and the German name of a kind picks between them, as the English one does.
    assert files_named_in(cw.snapshot(), "Nach welchem Recht richten sich die Nutzungsbedingungen von Ferrow?") == [
        "Ferrow_Terms of Service.txt"
    ]


def test_a_name_is_asked_about_as_its_web_address_writes_it_and_a_kind_of_document_names_nothing(
    tmp_path: Path,
) -> None:
    snap = engine_over(
        tmp_path,
        {
            "harborlight.com.txt": "Harbor Light Terms of Service\n\nHarbor Light may close your account. Harbor Light "
            "never sells your e-mail address.\n",
            "termsofservice.txt": "Terms of Service\n\n1. Accounts\nWe may close an account that breaks these terms of "
            "service.\n",
        },
    ).snapshot()
    assert {"Harbor Light", "harborlight"} <= set(load_document(tmp_path / "docs" / "harborlight.com.txt").aliases)
    kind = load_document(tmp_path / "docs" / "termsofservice.txt")
    assert kind.aliases == (), "a file named for its kind of document names no document"
    assert files_named_in(snap, "Does harborlight.com sell my e-mail address?") == ["harborlight.com.txt"]
    # Both are terms of service: the question names neither, and is asked of both.
    assert files_named_in(snap, "Which terms of service let them close my account?") == []


def test_a_hyphenated_or_camel_case_name_is_one_name_however_it_is_spaced(tmp_path: Path) -> None:
    snap = engine_over(
        tmp_path,
        {
            "quill-gazette.com.txt": "These terms cover the Quill-Gazette websites, including www.quill-gazette.com and "
            "news.quill-gazette.com. Quill-Gazette may update them at any time.\n",
            "QuillPoints.txt": "QuillPoints Terms\n\nQuillPoints may close an account that breaks these terms.\n",
        },
    ).snapshot()
    doc = load_document(tmp_path / "docs" / "quill-gazette.com.txt")
    assert doc.title == "Quill-Gazette" and doc.aliases == ("Quill-Gazette",), "not the names Quill and Gazette"
    assert files_named_in(snap, "Can the Quill Gazette update its terms?") == ["quill-gazette.com.txt"]
    assert files_named_in(snap, "Do the terms cover the gazette's news pages?") == []
    assert files_named_in(snap, "When may Quill Points end an account?") == ["QuillPoints.txt"]
    (named,) = snap.docs_named_in(read_question("When may Quill Points end an account?"))
    assert snap.without_names("When may Quill Points end an account?", [named]) == "When may end an account?"


def test_file_name_words_the_text_writes_as_one_name_are_that_name(tmp_path: Path) -> None:
    # As Apple's "App Store" terms: alone, "App" and "Store" named the document for any question that said
    # "app" or "store". "Quill" of quill-maps-terms.txt is a name of its own: the text writes it alone.
    snap = engine_over(
        tmp_path,
        {
            "cloud-drive-terms.txt": "Terms of Service\n\n1. Storage\nCloud Drive keeps the files you upload. Files in "
            "Cloud Drive are encrypted. We may suspend a Cloud Drive account that breaks these terms.\n",
            "quill-maps-terms.txt": "Quill Terms of Service\n\n1. Maps\nQuill Maps shows places near you. Quill may "
            "remove a review you post in Quill Maps. Quill keeps these terms up to date.\n",
        },
    ).snapshot()
    cloud = load_document(tmp_path / "docs" / "cloud-drive-terms.txt")
    assert cloud.aliases == ("Cloud Drive",) and cloud.title == "Cloud Drive Terms of Service"
    assert files_named_in(snap, "Can Cloud Drive suspend my account?") == ["cloud-drive-terms.txt"]
    assert files_named_in(snap, "Do the cloud backups keep old versions?") == []
    assert files_named_in(snap, "Can a cloud drive lose my files?") == [], "common words name it only as written"
    assert files_named_in(snap, "Can Quill remove my review?") == ["quill-maps-terms.txt"]


def test_a_name_said_inside_another_documents_longer_name_does_not_name_its_document(tmp_path: Path) -> None:
    # A bundled "App Service Agreement" is named "App": "the App Store agreement" named it beside Apple's.
    snap = engine_over(
        tmp_path,
        {
            "lumen-terms.txt": "Lumen Terms\n\n1. Accounts\nLumen may close an account that breaks these terms.\n",
            "lumen-pay-terms.txt": "Terms of Service\n\n1. Balance\nLumen Pay holds your balance. Lumen Pay may freeze a "
            "balance it suspects of fraud.\n",
        },
    ).snapshot()
    assert files_named_in(snap, "Can Lumen Pay freeze my balance?") == ["lumen-pay-terms.txt"]
    assert files_named_in(snap, "Can Lumen close my account?") == ["lumen-terms.txt"]
    assert sorted(files_named_in(snap, "Do Lumen and Lumen Pay close accounts?")) == [
        "lumen-pay-terms.txt",
        "lumen-terms.txt",
    ]


def test_an_everyday_word_in_a_file_name_names_no_document(tmp_path: Path) -> None:
    # ...nor one the text never writes though it uses its stem: a returns page saved as "1mg-refunds.html"
    # was named by "refunds", so "Does Harbor Light give refunds?" was asked of both documents and without
    # the word. The brand the text writes in lower case ("1mg portal") is its name still.
    snap = engine_over(
        tmp_path,
        {
            "Quillcorp_Maintenance Agreement.txt": "MAINTENANCE AGREEMENT\n\n1. Services\nQuillcorp provides maintenance "
            "of the Software. Scheduled maintenance is announced a week ahead, and emergency maintenance at once.\n",
            "harborlight-terms.txt": "Harbor Light Terms\n\n1. Service\nHarbor Light may pause the service for "
            "maintenance, and gives no refund for a month already paid.\n",
            "4qx-refunds.txt": "4QX Return & Refund Policy\n\n1. Returns\nA Refund request reaches the 4qx team "
            "within 7 days; a refund is paid to your card once 4qx receives the item.\n",
        },
    ).snapshot()
    doc = load_document(tmp_path / "docs" / "Quillcorp_Maintenance Agreement.txt")
    assert doc.title == "Quillcorp Maintenance Agreement" and "Quillcorp" in doc.aliases
    assert "Maintenance" not in doc.aliases
    assert files_named_in(snap, "Is maintenance announced ahead of time?") == []
    assert files_named_in(snap, "Does Quillcorp announce maintenance?") == ["Quillcorp_Maintenance Agreement.txt"]
    returns = load_document(tmp_path / "docs" / "4qx-refunds.txt")
    assert returns.title == "4QX Return & Refund Policy" and "refunds" not in returns.aliases
    assert files_named_in(snap, "Does Harbor Light give refunds?") == ["harborlight-terms.txt"]
    assert files_named_in(snap, "How do I ask 4QX for a refund?") == ["4qx-refunds.txt"]


def test_a_title_writes_out_the_name_a_question_may_use_in_full(tmp_path: Path) -> None:
    games = tmp_path / "quillon-privacy.txt"
    games.write_text("Quillon Games Privacy Policy\n\n1. Scope\n\nQuillon Games keeps your e-mail address.\n")
    doc = load_document(games)
    assert {"Quillon", "Quillon Games"} <= set(doc.aliases)
    # ...so "Games" does not stay behind to pull the question to the title line.
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([games]).ok
    assert cw.snapshot().without_names("Does Quillon Games sell my data?", [doc.doc_id]) == "Does sell my data?"
    updated = tmp_path / "quillon-terms.txt"
    updated.write_text("Quillon Updated Terms of Service\n\n1. Scope\n\nQuillon may end it.\n")
    assert "Quillon Updated" not in load_document(updated).aliases, "a word the text never repeats is no name"


def test_a_filings_exhibit_label_is_not_its_title(tmp_path: Path) -> None:
    path = tmp_path / "sykes-outsourcing.txt"
    path.write_text("EXHIBIT 10.14\n\nOUTSOURCING AGREEMENT\n\n1. Services\n\nSykes provides care management.\n")
    assert load_document(path).title.lower() == "sykes outsourcing agreement"  # was "Sykes OUTSOURCING"


def test_a_page_copied_with_its_menus_is_titled_by_the_line_that_names_it(tmp_path: Path) -> None:
    # As a user copies Medium's privacy policy, or Roblox's terms, from the page: the menu comes first
    # ("Open in app", "Sign in"), and the title was the file's name, "Medium Privacy".
    path = tmp_path / "orbit-privacy.txt"
    path.write_text(
        "Open in app\n\nSign in\n\nAbout Orbit and our Privacy Policy\n\nOrbit Privacy Policy\n\n"
        "Effective date: March 24, 2022\n\nWe collect your e-mail address.\n"
    )
    assert load_document(path).title == "Orbit Privacy Policy"
    # A line that names the document but opens otherwise is a heading, not its title.
    path.write_text("Open in app\n\nAbout Orbit and our Privacy Policy\n\nWe collect your e-mail address.\n")
    assert load_document(path).title == "Orbit Privacy"


def test_a_version_in_a_file_name_is_not_part_of_the_title(tmp_path: Path) -> None:
    path = tmp_path / "harbourline-storage-licence-v3.txt"
    path.write_text("HARBOURLINE STORAGE LICENCE\n\n1. Scope\n\nHarbourline licenses the client to you.\n")
    doc = load_document(path)
    assert doc.title.lower() == "harbourline storage licence"  # was "V3 HARBOURLINE STORAGE Licence"
    assert "V3" not in doc.aliases


def test_a_long_file_name_against_a_long_title_is_read_at_once(tmp_path: Path) -> None:
    # Every split of the name over the title's words would be tried: about 4 ** 20 of them, without end.
    path = tmp_path / f"{'a' * 80}b.txt"
    path.write_text(f"{'Aaaa ' * 20}Terms\n\n1. Scope\n\nThese terms apply to every user.\n", encoding="utf-8")
    assert load_document(path).title.endswith("Aaaa Terms")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_byte_order_marks_decode_and_are_not_text(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "terms.txt"
    raw = TERMS.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be", "utf-32-be"):  # these codecs write no mark themselves
        raw = "\ufeff".encode(encoding) + raw
    f.write_bytes(raw)
    assert load_document(f).text == TERMS  # CRLF kept: offsets are into the text as written


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:  # sparse: 300 MB on paper, nothing on disk
        out.truncate(300 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail("the file was opened"))
    with pytest.raises(LoadError, match=r"huge.txt: too large \(300 MiB; the limit is 20 MiB\)"):
        load_document(f)


def test_languages_are_told_apart(tmp_path: Path) -> None:
    from .conftest import LANGUAGES

    assert load_document(LANGUAGES / "polarlink-polzovatelskoe-soglashenie.txt").lang == "ru"
    assert load_document(LANGUAGES / "bergwerk-nutzungsbedingungen.txt").lang == "de"
    assert load_document(CORPUS / "smm-privacy-policy.txt").lang == "en"
    assert load_document(CORPUS / "maibang-scrm-user-service-agreement.txt").lang == "mixed"
    # A title in another script is not prefixed with the file name's transliteration.
    assert load_document(LANGUAGES / "polarlink-polzovatelskoe-soglashenie.txt").title.startswith("Пользовательское")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n\n", "empty file"),
        ("latin1.txt", "Cl\u00e1usula".encode("latin-1"), "not valid UTF-8"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
        ("terms.pdf", b"%PDF-1.4", "not a readable PDF"),
        ("terms.docx", b"plain words, not a zip", "not a Word file"),
        ("terms.html", b"<html><script>var a = 1;</script></html>", "no readable text"),
        ("terms.exe", b"MZ", "unsupported file type"),
        ("numbers.txt", "\n".join(str(i * 7919) for i in range(300)).encode(), "no text to index (only 0 letters"),
        ("symbols.txt", "§ 1 — ©®™ ☺ 12:30 ab".encode(), "no text to index"),
        ("bad16.txt", b"\xff\xfeA\x00\x00\xd8", "starts as UTF-16"),
    ],
)
def test_bad_files_get_a_one_line_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(LoadError) as e:
        load_document(f)
    assert reason in str(e.value) and name in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Last Updated: 1 January 2017", True),
        ("Date of Last Revision: April 30, 2020", True),
        ("Effective date: 2024-01-01", True),
        ("We may change the price on 1 January 2017.", False),
        ("Updated on 3 March 2026: we now share data with partners.", False),
    ],
)
def test_a_date_stamp_is_a_line_that_only_dates_the_document(line: str, stamp: bool) -> None:
    assert is_date_stamp(line) is stamp
