"""The clause parser: every numbering style, the rebuild invariant, real labels of the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clauses import is_contents, is_heading_text, is_menu, parse_clauses
from ingest.load import load_document
from ingest.types import Clause

from .conftest import CORPUS, FIXTURES, engine_over


def parse(text: str) -> list[Clause]:
    clauses = parse_clauses("t", text)
    assert "".join(text[c.start : c.body_end] for c in clauses) == text, "own texts must rebuild the document"
    return clauses


def ids(text: str) -> list[str]:
    return [c.clause_id.split("#", 1)[1] for c in parse(text)]


def by_id(text: str) -> dict[str, Clause]:
    return {c.clause_id.split("#", 1)[1]: c for c in parse(text)}


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()) + sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_clauses_rebuild_every_document_exactly(path: Path) -> None:
    doc = load_document(path)
    clauses = parse_clauses(doc.doc_id, doc.text)
    assert "".join(doc.text[c.start : c.body_end] for c in clauses) == doc.text
    assert len({c.clause_id for c in clauses}) == len(clauses), "clause ids are unique"
    for c in clauses:
        assert c.start <= c.body_end <= c.end


def test_dotted_numbering_nests_by_prefix() -> None:
    t = "Terms\n\n1. Intro\n1.1 First rule.\n1.2 Second rule:\n1.2.1 Detail one;\n1.2.2 Detail two.\n2. Next\n2.1 Rule.\n"
    assert ids(t) == ["preamble", "1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.1"]
    c = by_id(t)["1.2.2"]
    assert c.parent_id == "t#1.2" and c.path == ("1 Intro", "1.2")


def test_a_date_broken_across_lines_is_not_a_numbered_item() -> None:
    # PDF text breaks lines anywhere: "January" ends one, "1, 1998" starts the next.
    t = "1. Term\n1.1 The term begins on January\n1, 1998 and ends on December 31, 1998.\n1.2 Renewal.\n"
    assert ids(t) == ["1", "1.1", "1.2"]
    c = by_id(t)["1.1"]
    assert "January\n1, 1998 and ends" in t[c.start : c.end]


def test_articles_numbered_in_words() -> None:
    # SEC-filed contracts spell their articles out, and PDF text often runs the title into the number.
    t = (
        "Agreement\n\nARTICLE TEN FORCE MAJEURE\n\nNo party is liable for force majeure.\n\n"
        "ARTICLE ELEVENAPPLICABLE LAW; DISPUTE RESOLUTION\n\n11.1 New York law governs.\n\n11.2 Courts decide.\n\n"
        "ARTICLE TWELVE TAXES\n\nEach party pays its own taxes:\n\n(a) sales tax; and\n\n(b) LOSS OF PROFITS; OR\n"
    )
    c = by_id(t)
    assert list(c) == ["preamble", "10", "11", "11.1", "11.2", "12", "12.a", "12.b"]
    assert c["11"].title == "11 APPLICABLE LAW; DISPUTE RESOLUTION" and c["11.1"].parent_id == "t#11"
    assert c["12.b"].title == "(b)", "a list item in capitals ending in a conjunction is no title"


def test_a_title_in_capitals_may_end_with_a_full_stop() -> None:
    t = (
        "Intro text of the terms.\n\nARBITRATION AGREEMENT.\n\nDisputes go to binding arbitration.\n\n"
        "CLAIMS ARE TIME-BARRED.\n\nBring any claim within one year.\n\nTHE SERVICE IS PROVIDED AS IS. WE DISCLAIM.\n"
    )
    titles = [c.title for c in parse(t) if c.parent_id is None]
    assert titles[1:3] == ["ARBITRATION AGREEMENT.", "CLAIMS ARE TIME-BARRED."]
    assert "THE SERVICE IS PROVIDED AS IS. WE DISCLAIM." not in titles  # two sentences are no title


def test_a_title_case_title_closing_with_a_full_stop_over_a_paragraph_is_a_section() -> None:
    # A page's <h3>Targeted Advertising.</h3>: without it, everything after one heading was that section.
    t = (
        "Our Information Sharing Practices\n\nWe never share your data except as described here.\n\n"
        "Targeted Advertising.\n\nWe may show ads based on the pages you read on our sites.\n\n"
        "Children's Privacy.\n\nThe services are not meant for children under the age of thirteen.\n\n"
        "Thank you.\nWe are glad you are reading this policy.\n\n"
        "Effective May 1, 2024.\n\nThis version replaces the earlier one from two years before.\n\n"
        "Acme Games, Inc.\n\n620 Crossroads Blvd.\n"
    )
    titles = [c.title for c in parse(t) if c.parent_id is None]
    assert titles[1:] == ["Targeted Advertising.", "Children's Privacy."]


def test_an_address_in_a_notices_clause_is_no_title_over_the_clauses_after_it() -> None:
    # A contract's notices clause, as a PDF lays it out: the address lines stand alone between blank lines.
    t = (
        "4. MISCELLANEOUS\n\n4.3 NOTICES. Notices go by registered mail, addressed as follows:\n\n"
        "In the case of Harbor:\n\nHarbor Freight Lines, Inc.\n\n100 Dock Street\n\nPortland, Oregon 97201\n\n"
        "Attention: General Counsel\n\n4.4 COUNTERPARTS. This Agreement may be signed in counterparts.\n\n"
        "4.5 HEADINGS. Headings are for convenience only.\n"
    )
    c = by_id(t)
    assert not [x for x in c.values() if "Portland" in x.title]
    assert c["4.4"].parent_id == "t#4" and c["4.5"].parent_id == "t#4", "siblings of 4.3, under 4"


def test_a_title_case_item_of_a_list_of_short_lines_is_no_title() -> None:
    # A forum's rules as a web page's list items come out: one line each, one of them a single capitalised
    # word. As a title it took the rules after the list, and "Can I post someone's address?" found them
    # under "Racism".
    t = (
        "Global Rules\n\nYou will not post anything that breaks the law where you live.\n\n"
        "You will not post any of the following outside of the random board:\n\nTroll posts\n\nRacism\n\n"
        "Grotesque or gory images\n\nYou will not post or request personal information, such as an address.\n\n"
        "Board Rules\n\nKeep each thread to its board's topic, and search before starting a new one.\n"
    )
    titles = [c.heading for c in parse_clauses("t", t) if c.heading]
    assert titles == ["Global Rules", "Board Rules"]


def test_a_bullet_is_a_title_only_over_text_of_its_own() -> None:
    # A Markdown list as its loader writes it, one item a paragraph, none closing with a full stop: each
    # item was its own title, and an answer named the quote by itself ("…, You retain ownership of
    # content you post: “• You retain ownership of content you post”") instead of by its section.
    t = (
        "# Terms\n\n## 5. Your Content\n\n• You retain ownership of content you post\n\n"
        "• You grant us a licence to show your content\n\n## 6. Cookies\n\n"
        "• Necessary cookies\nThey keep you signed in and cannot be turned off.\n\n"
        "• Analytics cookies (with your consent)\n\nYou can turn cookies off in your settings.\n"
    )
    c = by_id(t)
    assert c["5.b1"].heading == "" and c["5.b2"].heading == "" and c["5.b1"].parent_id == "t#5"
    assert c["6.b1"].heading == "Necessary cookies", "an item over a paragraph of its own is titled"
    assert c["6.b2"].heading == "", "a paragraph after the list's last item is the section's, not a title's"


def test_a_long_title_that_asks_opens_its_own_section() -> None:
    # A terms page written as questions: a long one was read as the end of the section above it.
    t = (
        "Can I Sell Things on Lumenhall?\nYes. Sellers pay a fee of five percent on each completed sale.\n"
        "Once I Have Sold Something on Lumenhall, When Will the Money Reach My Bank?\n"
        "Payouts are sent within seven days after the buyer confirms delivery.\n"
        "Is this all you need to know about your account, or should you read the longer help pages first?\n"
    )
    titles = [c.title for c in parse(t)]
    assert "Once I Have Sold Something on Lumenhall, When Will the Money Reach My Bank?" in titles
    assert not any(t.startswith("Is this all") for t in titles), "a question in prose is no title"


def test_numbering_restarts_inside_sections() -> None:
    t = "1、 Accounts\n\n1. You register.\n2. You log in.\n\n2、 Fees\n\n1. You pay.\n2. We refund.\n"
    assert ids(t) == ["1", "1.1", "1.2", "2", "2.1", "2.2"]


def test_items_numbered_again_under_a_numbered_title_line_are_its_sub_clauses() -> None:
    # As Alignable's terms run, numbers and all in one style: read flat, the items were clauses 1, 2 and 3
    # a second time, and "section 2.1" was not found. A title alone may go on with the titles where the
    # items could take its number too ("5. DISCLAIMER" after the fourth item of section 4).
    t = (
        "1. ACCEPTANCE\n\nBy using the Tidewater service you accept these terms and agree to be bound by them.\n\n"
        "2. YOUR OBLIGATIONS.\n\n1. Eligibility: You must be eighteen years of age or older to use the service.\n\n"
        "2. Passwords: You must keep your password secret and tell us at once of any misuse.\n\n"
        "3. YOUR RIGHTS.\n\nWhile you keep to these terms, we grant you a limited licence to use the service.\n\n"
        "4. OUR RIGHTS.\n\n1. Availability: We may change or end any part of the service at any time.\n\n"
        "2. Links: We are not responsible for the sites of others that the service links to.\n\n"
        "3. Disclosure: We may disclose what you share where the law requires us to do so.\n\n"
        "4. Connections: You are responsible for whom you connect with and what you share.\n\n"
        "5. DISCLAIMER\n\nThe service is provided as is, without warranties of any kind.\n"
    )
    assert ids(t) == ["1", "2", "2.1", "2.2", "3", "4", "4.1", "4.2", "4.3", "4.4", "5"]
    # A numbered clause with text of its own keeps a list numbered again after it beside it, as before.
    assert ids("1. Fees\n\nYou pay monthly.\n\n1. Card: We charge your card.\n2. Bank: Or your bank.\n") == [
        "1",
        "1~2",
        "2",
    ]


def test_a_flat_list_goes_on_with_the_level_whose_next_number_it_is() -> None:
    # Quora's terms as Markdown write every level at one indentation, and a title's sub-list numbers
    # again from 1 under the sub-clause "3.": "5. Your Responsibilities" was read as a fifth sub-clause of
    # section 4, skipping 4.4, where section 5 follows section 4 exactly.
    t = (
        "4. Your Content\n\n1. Definition: Your content is what you post on the Lumenhall service.\n\n"
        "2. Ownership: You remain the owner of everything you post.\n\n3. Licence to Us\n\n"
        "1. By posting you grant us a licence to show your content to other users.\n\n"
        "2. You may delete a post at any time and the licence then ends.\n\n"
        "5. Your Responsibilities: You are responsible for what you post.\n"
    )
    assert ids(t) == ["4", "4.1", "4.2", "4.3", "4.3.1", "4.3.2", "5"]


def test_a_sub_clause_under_a_page_title_is_looked_up_by_its_number(tmp_path: Path) -> None:
    # Under a page's "# Terms and Conditions" the item's id is "terms-and-conditions.2.2": "section 2.2" did
    # not find it, and the question was searched as words.
    text = (
        "# Tidewater\n\n- Blog\n- Sign in\n\n# Terms and Conditions\n\n1\\. ACCEPTANCE\n\nBy using the Tidewater service you accept these terms in full.\n\n"
        "2\\. YOUR OBLIGATIONS.\n\n1\\. Eligibility: You must be eighteen years of age or older to use it.\n\n"
        "2\\. Passwords: You must keep your password secret and tell us at once of any misuse.\n\n"
        "3\\. YOUR RIGHTS.\n\nWhile you keep to these terms, we grant you a limited licence to use the service.\n"
    )
    a = engine_over(tmp_path, {"tidewater-terms.md": text}).ask("Show me section 2.2 of the Tidewater terms")
    assert a.kind == "lookup" and a.citations[0].quote.startswith("2. Passwords"), (a.kind, a.citations)


def test_labels_without_bullets_are_a_menu_and_an_address_is_not() -> None:
    assert is_menu("#### Legal\n\nTerms of Service\n\nPrivacy Policy\n\nCookie Policy\n")
    assert not is_menu("Terms of Service\n\nPrivacy Policy\n")  # two lines may be a title and its subtitle
    assert not is_menu("Data Protection Office\n\nWater Lane, Wilmslow\n\nTelephone: 0303 123 1113\n")


def test_a_lettered_part_is_looked_up_by_number_and_letter_and_a_breadcrumb_never_by_its_number(tmp_path: Path) -> None:
    # Steam's agreement has parts "9.C" and cites them so; "section 9.C" was searched as words. A help
    # centre's page opens with numbered breadcrumbs: "section 3" of Roblox's terms showed "3. Legal Documents".
    body = "You may do this at any time, and the service keeps a record of it for one year."
    text = (
        "Skip to main content\n\n1. Help Centre\n2. Legal Documents\n\nArticles in this section\n\n"
        "• Rivermoor Terms\n• Rivermoor Privacy Policy\n\n# Rivermoor Membership Agreement\n\n"
        "This agreement is between you and Rivermoor Ltd, and it applies whenever you use the service.\n\n"
        f"1. MEMBERSHIP ⏶\n\nA. Joining\n\n{body}\n\nB. Your Account\n\n{body}\n\n"
        f"2. ENDING YOUR MEMBERSHIP ⏶\n\nA. Ending by You\n\n{body}\n\nB. Ending by Rivermoor\n\n"
        "Rivermoor may close your account if you break these terms, after telling you why.\n"
    )
    cw = engine_over(tmp_path, {"rivermoor-terms.md": text})
    part = cw.ask("Please read me part 2.B of the Rivermoor agreement")
    assert part.kind == "lookup" and part.citations[0].quote.startswith("B. Ending by Rivermoor"), part.citations
    section = cw.ask("Let me see section 2 of the Rivermoor agreement")
    assert section.kind == "lookup" and section.citations[0].quote.startswith("2. ENDING"), section.citations


def test_chinese_numerals_and_parenthesised_items() -> None:
    t = "一、定义\n\n（一）服务:指本平台的服务。\n（二）用户:指注册的企业。\n\n二、帐户\n\n1. 您应妥善保管密码。\n2. 不得转让帐户。\n"
    got = by_id(t)
    assert list(got) == ["一", "一.一", "一.二", "二", "二.1", "二.2"]
    assert got["一"].heading == "定义" and got["一.二"].label == "(二)"


def test_chinese_articles() -> None:
    t = "第一章 总则\n\n第一条 本协议适用于所有用户。\n第二条 用户应遵守法律。\n\n第二章 服务\n\n第三条 我们提供云服务。\n"
    assert ids(t) == ["第一章", "第一章.第一条", "第一章.第二条", "第二章", "第二章.第三条"]


def test_a_dated_line_with_a_full_width_colon_is_no_title() -> None:
    # "Last updated: …" with a colon is no title in English; written with the full-width colon of Chinese
    # it took the welcome paragraph under it as a section named after the date.
    t = "服务条款\n\n最后更新： [2025-04-20]\n\n欢迎您使用本应用。使用本应用即表示您同意这些服务条款。\n\n1. 接受条款\n\n您同意接受这些服务条款。\n"
    got = by_id(t)
    assert list(got) == ["preamble", "1"]
    assert t[got["preamble"].start : got["preamble"].end].rstrip().endswith("您同意这些服务条款。")


def test_a_date_written_day_first_with_a_full_stop_is_no_clause_number() -> None:
    # A German terms page lists its changes by date; each read as a clause, "Abschnitt 7" found two.
    t = (
        "6. Kündigung. Wir können Ihr Konto jederzeit kündigen.\n\n7. Haftung. Wir haften nicht für Schäden.\n\n"
        "Änderungsprotokoll:\n\n7. Juli 2009: Abschnitt „Haftung“ hinzugefügt.\n\n18. Dezember 2010: Abschnitt 6 geändert.\n"
    )
    got = by_id(t)
    assert [c.label for c in got.values() if c.label] == ["6", "7"]


def test_a_title_run_into_the_first_sentence_is_the_clause_title() -> None:
    # Terms pages set it in bold ("17. **Limitation of Liability.** In no event…"); citations named the
    # clause "17" alone, and "the limitation of liability section" was not found by its heading.
    t = (
        "17. Limitation of Liability. In no event will we be liable for any indirect damages of any kind.\n\n"
        "18. You may cancel at any time. We refund the unused part of your fee within thirty days.\n\n"
        "19. Ihr WordPress.com Konto und Ihre Website. Sie sind für die Sicherheit Ihres Kontos verantwortlich.\n\n"
        "20. Compliance Notice Pursuant to 18 U.S.C. § 2257. All persons shown were adults at the time.\n\n"
        # A capital outside ASCII is a capital: "Kündigung" read as "K" and "ndigung", a word in lower case.
        "21. Kündigung. Automattic kann Ihren Zugang jederzeit und mit sofortiger Wirkung kündigen.\n"
    )
    got = by_id(t)
    assert [got[k].heading for k in ("17", "18", "19", "20", "21")] == [
        "Limitation of Liability",
        "",
        "Ihr WordPress.com Konto und Ihre Website",
        "",
        "Kündigung",
    ]


def test_a_number_goes_on_with_the_list_at_its_own_indentation() -> None:
    # "3." after "2." / "  1." / "    2." went on with the innermost list ("2.1.3"), and every section after
    # it hung under section 2.
    t = (
        "1. The Platform.\n\nIntro text of the platform section that runs on for a while here.\n\n"
        "2. Ownership\n\nWe own all of it, as set out in the items below this line.\n\n"
        "  1. With the sole exception of the games, we own all rights:\n\n"
        "    1. All virtual content appearing within the Platform;\n\n"
        "    2. All data and communications generated by the Platform;\n\n"
        "3. Pre-Loaded Software\n\nThe Platform may contain additional software that needs terms.\n\n"
        "4. Consent to Monitor. The Platform may monitor your computer for cheats while it runs.\n"
    )
    assert ids(t) == ["1", "2", "2.1", "2.1.1", "2.1.2", "3", "4"]


def test_a_line_that_only_dates_the_document_is_no_title_over_its_sections() -> None:
    # Blizzard's EULA opens "LAST REVISED June 1, 2018": as a title it held every section, and each
    # citation's path began with the date.
    t = (
        "Blizzard End User License Agreement\n\nLAST REVISED June 1, 2018\n\n"
        "Thank you for your interest in our games and the platform that runs them for you.\n\n"
        "1. The Platform. You need an account to use the platform and to play any of our games.\n\n"
        "2. Ownership. We own the platform, the games and everything that appears inside them.\n"
    )
    assert ids(t) == ["preamble", "1", "2"]


def test_roman_and_letter_items() -> None:
    t = "I. Definitions\n\n(a) Service means the website.\n(b) User means you.\n\nII. Use\n\n(i) Be lawful.\n(ii) Be kind.\n"
    got = by_id(t)
    assert list(got) == ["I", "I.a", "I.b", "II", "II.i", "II.ii"]
    assert got["II.ii"].label == "(ii)"


def test_right_paren_items_hang_under_the_clause_that_lists_them() -> None:
    t = "2. Rules\n\n2.9 Users must not post content that is:\n1) Illegal;\n2) Abusive;\n2.10 Breaches end the account.\n"
    assert ids(t) == ["2", "2.9", "2.9.1", "2.9.2", "2.10"]


def test_bare_headings_and_unnumbered_documents() -> None:
    t = (
        "Privacy Policy\nWe care about privacy and explain it below in plain words.\n"
        "Your Information\nWe may collect your name, email and phone number when you register.\n"
        "Cookies\nWe use cookies to remember you between visits to the site.\n"
    )
    got = by_id(t)
    assert list(got) == ["preamble", "your-information", "cookies"]
    assert got["cookies"].heading == "Cookies"


def test_markdown_headings_set_levels() -> None:
    text = (FIXTURES / "globex-privacy.md").read_text(encoding="utf-8")
    assert ids(text) == ["preamble", "data-we-collect", "cookies", "sharing"]


def test_cross_references_dates_and_inline_numbers_are_not_headings() -> None:
    t = (
        "1. Fees\n\n1.1 Fees are due monthly.\n"
        "As described in 3.2 above, fees may change.\n"
        "2024.1.1 is when this version took effect.\n"
        "3 days after notice, the change applies.\n"
        "1.2 Late fees apply.\n"
    )
    got = by_id(t)
    assert [k for k in got if not k.endswith("p1")] == ["1", "1.1", "1.2"]
    assert not any(c.label in ("3.2", "2024.1.1", "3") for c in got.values())
    para = got["1.p1"]
    assert t[para.start : para.body_end].startswith("As described in 3.2 above")


def test_paragraph_after_a_list_belongs_to_the_clause_that_introduced_it() -> None:
    t = "三、信息保护\n\n我们不会披露您的信息,除非:\n  1. 法律要求;\n  2. 您同意。\n\n我们的隐私政策说明了更多细节。\n"
    assert ids(t) == ["三", "三.1", "三.2", "三.p1"]


def test_an_item_that_goes_on_with_the_listing_sentence_is_no_title() -> None:
    t = (
        "1. Liability\n\n1.1 We are not liable for:\n\n(a) lost profits or\n\n(b) any other commercial damages or losses"
        "\n\narising out of your use of the Service, however caused.\n\n(c) Refund Policy\n\nRefunds are at our discretion.\n"
    )
    got = by_id(t)
    assert got["1.1.a"].heading == "" and got["1.1.b"].heading == ""
    # The sentence after the list is the listing clause's again, not part of its last item.
    assert t[got["1.1.p1"].start : got["1.1.p1"].body_end].startswith("arising out of")
    assert got["1.1.c"].heading == "Refund Policy"


def test_words_in_lower_case_go_on_with_the_term_or_listing_sentence_numbered_above() -> None:
    t = (
        '1. Definitions\n\n1.1. "Member"\n\nmeans a person who holds a paid plan with us.\n\n'
        "1.2. Members may not let others use their plan, and will not:\n\nresell access to anyone.\n\n"
        "2. Fees\n\nFees are due each month.\n"
    )
    got = by_id(t)
    assert "means a person" in t[got["1.1"].start : got["1.1"].end]
    assert "resell access" in t[got["1.2"].start : got["1.2"].end]
    assert not any(k.startswith("1.p") for k in got)


def test_a_markdown_title_that_starts_with_a_number_is_that_numbered_clause(tmp_path: Path) -> None:
    t = (
        "# Harbourline Terms\n\n## 1. Accounts\n\nOne account per person.\n\n## 2. Fees\n\n"
        "- Fees are due each month.\n- Late fees are 5%.\n\n## 3. Ending\n\nEither side may end these terms.\n"
    )
    got = {c.label: c for c in parse_clauses("harbourline-terms", t) if c.label}
    assert sorted(got) == ["1", "2", "3"]
    assert got["2"].heading == "Fees" and got["2"].clause_id == "harbourline-terms#2"
    cw = engine_over(tmp_path, {"harbourline-terms.md": t})
    found = cw.lookup("section 2 of the Harbourline terms")
    assert found is not None and found.citations[0].label == "2"
    assert "Late fees are 5%." in found.citations[0].quote


def test_a_number_alone_over_its_title_is_that_clause_and_contents_lines_and_page_footers_are_no_titles() -> None:
    # As pdftotext writes a typeset agreement: each heading's number on a line of its own.
    t = (
        "SUPPLY AGREEMENT\n\nTABLE OF CONTENTS\n\n1.\n\nDefinitions.......................3\n\n2.\n\n"
        "Fees..............................4\n\nPage 1\n\n1.\n\nDEFINITIONS\nIn this Agreement, Goods means the "
        "goods listed in the order.\n\nPage 2\n\n2.\n\nFEES\nThe Buyer pays each invoice within thirty days.\n"
    )
    got = {c.label: c for c in parse_clauses("supply", t) if c.label}
    assert sorted(got) == ["1", "2"]
    assert got["2"].heading == "FEES" and "thirty days" in t[got["2"].start : got["2"].end]
    headings = {c.heading for c in parse_clauses("supply", t)}
    assert not any("...." in h or h.startswith("Page") for h in headings)


def test_a_table_of_contents_with_its_numbers_on_lines_of_their_own_is_one() -> None:
    titles = ["Definitions", "Term of Agreement", "Fees", "Warranties", "Termination"]
    toc = "TABLE OF CONTENTS\n\n" + "".join(
        f"{n}.\n\n{t}{'.' * (30 - len(t))}{n + 2}\n\n" for n, t in enumerate(titles, 1)
    )
    assert is_contents(toc, {t.lower() for t in titles})
    assert not is_contents("1.\n\nDefinitions mean what they say.\n\n2.\n\nFees are due.\n", {"fees"})


def test_bilingual_document_yields_two_aligned_trees() -> None:
    doc = load_document(CORPUS / "maibang-scrm-user-service-agreement.txt")
    clauses = {c.clause_id.split("#", 1)[1]: c for c in parse_clauses(doc.doc_id, doc.text)}
    zh, en = clauses["三"], clauses["III"]
    assert zh.lang == "zh" and en.lang == "en"
    assert zh.parallel_id == en.clause_id and en.parallel_id == zh.clause_id
    assert clauses["一.3"].parallel_id == clauses["I.3"].clause_id
    assert doc.text[clauses["I.3"].start :].startswith("  3. User Content")
    assert clauses["十一"].parallel_id == clauses["XI"].clause_id


# (document, clause id after '#', label, how the clause's text begins)
CHOSEN = [
    ("smartproxy-user-service-agreement.txt", "1", "1", "1、 Confirmation and Acceptance"),
    ("smartproxy-user-service-agreement.txt", "2.2", "2", "2. After recognizing and accepting"),
    ("smartproxy-user-service-agreement.txt", "3.1", "3.1", "3.1. Account freezing"),
    ("smartproxy-user-service-agreement.txt", "3.1.2", "3.1.2", "3.1.2. Violating these service terms"),
    ("smartproxy-user-service-agreement.txt", "4.1.5", "4.1.5", "\xa04.1.5. Lottery with prizes"),
    ("smartproxy-user-service-agreement.txt", "6.4", "6.4", "6.4. In some cases"),
    ("smartproxy-user-service-agreement.txt", "7", "7", "7、 Force majeure"),
    ("smartproxy-user-service-agreement.txt", "11.2", "2", "2. To the maximum extent"),
    ("app-service-agreement.txt", "2.8.5", "2.8.5", "2.8.5 Do not use the online services"),
    ("app-service-agreement.txt", "2.9.3", "3)", "3) Damage the reputation"),
    ("app-service-agreement.txt", "6.1.2", "6.1.2", "6.1.2 The account has not been used"),
    ("app-service-agreement.txt", "6.5.5", "6.5.5", "6.5.5 Possible refunds"),
    ("app-service-agreement.txt", "7.2.2", "7.2.2", "7.2.2 Paid monthly"),
    ("app-service-agreement.txt", "10.1", "10.1", "10.1 This Agreement shall be governed"),
    ("socialsmartly-privacy-policy.txt", "三", "三", "三、Provide information externally"),
    ("socialsmartly-privacy-policy.txt", "三.iii", "(iii)", "(iii) Assignment"),
    ("socialsmartly-privacy-policy.txt", "四.v", "(v)", "(v) Constraint on automatic decision"),
    ("socialsmartly-privacy-policy.txt", "四.ii.4", "4", "4, if our processing purposes"),
    ("socialsmartly-privacy-policy.txt", "五.2", "2", "2, to ensure the safety"),
    ("maibang-scrm-user-service-agreement.txt", "七", "七", "七、免责条款"),
    ("maibang-scrm-user-service-agreement.txt", "八.3", "3", "  3. 违反相关法律法规"),
    ("maibang-scrm-user-service-agreement.txt", "IX", "IX", "IX. Governing Law and Jurisdiction"),
    ("maibang-scrm-user-service-agreement.txt", "VI.4", "4", "  4. Publishing, transmitting, spreading advertising"),
    ("smm-privacy-policy.txt", "the-use-of-cookie", "", "The Use of Cookie"),
    ("smm-privacy-policy.txt", "information-storage-and-exchange~2.1", "(1)", "(1) You are responsible"),
]


@pytest.mark.parametrize(("source", "cid", "label", "begins"), CHOSEN, ids=[f"{s[:10]}#{c}" for s, c, *_ in CHOSEN])
def test_labels_of_chosen_clauses_in_the_bundled_corpus(source: str, cid: str, label: str, begins: str) -> None:
    doc = load_document(CORPUS / source)
    clauses = {c.clause_id.split("#", 1)[1]: c for c in parse_clauses(doc.doc_id, doc.text)}
    assert cid in clauses, sorted(clauses)[:50]
    c = clauses[cid]
    assert c.label == label
    assert doc.text[c.start : c.end].lstrip("\n").startswith(begins)


def test_articles_sections_and_trailing_dot_numbers() -> None:
    t = (
        "ARTICLE 1 DEFINITIONS\n\nSection 1.1 Service means the platform.\nSection 1.2 User means you.\n\n"
        "Article 2 Fees\n\n2.1. Fees are due monthly.\n2.1.1. Card payments settle at once.\n(1) Refunds go to the card.\n"
    )
    got = by_id(t)
    assert list(got) == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.1.1.1"]
    assert got["1"].heading == "DEFINITIONS" and got["2.1.1.1"].label == "(1)"


def test_a_sentence_that_opens_with_a_section_reference_is_no_section() -> None:
    # Airbnb's terms open with "Section 24 of these Terms contains an arbitration agreement…" in bold.
    t = (
        "Section 3 of these terms contains an arbitration agreement. Please read it carefully.\n\n"
        "Section 1. Accounts\n\nYou must be 18.\n\nSection 2: Fees\n\nFees are due monthly.\n\n"
        "Section 3 Arbitration\n\nDisputes go to arbitration.\n"
    )
    got = by_id(t)
    assert [c.label for c in got.values() if c.label] == ["1", "2", "3"]
    assert t[got["3"].start :].startswith("Section 3 Arbitration")


def test_all_caps_headings_numbered_definitions_and_roman_items() -> None:
    t = (
        "MUTUAL NON-DISCLOSURE AGREEMENT\n\nThis Agreement is made between the parties named below.\n\n"
        'DEFINITIONS\n\n1. "Confidential Information" means any information disclosed by a party.\n'
        '2. "Purpose" means evaluating a possible business relationship.\n\n'
        "OBLIGATIONS\n\nThe Recipient shall:\n(i) keep the information secret;\n(ii) use it only for the Purpose;\n"
        "(iii) return it on request.\n\nTERM\n\nThis Agreement lasts two years from the date of signature.\n"
    )
    got = by_id(t)
    assert list(got) == [
        "preamble", "definitions", "definitions.1", "definitions.2",
        "obligations", "obligations.i", "obligations.ii", "obligations.iii", "term",
    ]  # fmt: skip
    assert got["definitions.2"].label == "2" and got["obligations.iii"].label == "(iii)"
    assert got["term"].heading == "TERM"


def test_a_long_document_without_any_numbering_becomes_heading_sections() -> None:
    sections = [
        f"Topic Number {w}\n" + f"This paragraph explains topic {w} in enough words to be a body. " * 3
        for w in ("One", "Two", "Three", "Four")
    ]
    t = "Plain Policy\n\n" + "\n\n".join(sections) + "\n"
    got = by_id(t)
    assert list(got) == ["preamble", "topic-number-one", "topic-number-two", "topic-number-three", "topic-number-four"]


def test_an_article_number_alone_on_its_line_takes_the_next_line_as_its_title() -> None:
    t = (
        "MUTUAL NON-DISCLOSURE AGREEMENT\n\nThe parties agree as follows.\n\n"
        'ARTICLE I\nDEFINITIONS\n\n1.1 "Purpose" means the evaluation.\n1.2 "Party" means a signatory.\n\n'
        "ARTICLE II\nREMEDIES\n\n2.1 Each Party may seek injunctive relief.\n\n"
        "第一章\n总则\n\n第一条 本政策适用于全部服务。\n第二条 本政策自发布之日起生效。\n\n"
        "第二章\n个人信息的保护\n\n第三条 我们采取加密措施保护您的信息。\n"
    )
    got = by_id(t)
    assert got["I"].heading == "DEFINITIONS" and got["II"].heading == "REMEDIES"
    assert got["1.2"].parent_id == got["I"].clause_id and got["2.1"].parent_id == got["II"].clause_id
    assert got["第二章"].heading == "个人信息的保护" and got["第二章.第三条"].label == "第三条"
    # "2." alone on a line is still just text, not a clause.
    assert "2" not in by_id("Fees\n\nYou pay monthly, see clause\n2.\nLate fees apply.\n")


def test_a_table_of_contents_is_text_and_the_sections_are_the_clauses() -> None:
    text = (
        "Widget Terms\n\n1. Accounts\n\n2. Payments.............4\n\n3. Termination\n\n"
        "Please read these terms.\n\n"
        "1. Accounts\n\nYou must be 18 to open an account.\n\n"
        "2. Payments\n\nFees are due monthly.\n\n"
        "3. Termination\n\nWe may close accounts that break these terms.\n"
    )
    clauses = parse_clauses("w", text)
    numbered = [c for c in clauses if c.label]
    assert [(c.label, c.heading) for c in numbered] == [("1", "Accounts"), ("2", "Payments"), ("3", "Termination")]
    assert text[numbered[0].start :].startswith("1. Accounts\n\nYou must be 18")


def test_a_table_of_contents_whose_titles_close_with_a_stop_is_text() -> None:
    # The listing ends its titles with a stop the sections' own titles lack (Alibaba.com's privacy policy).
    text = (
        "Privacy Notice\n\nA. COLLECTION.\n\nB. SHARING.\n\nC. RETENTION.\n\nD. CONTACT US.\n\n"
        "A. COLLECTION\n\nWe collect your name and email address.\n\n"
        "B. SHARING\n\nWe share data with our payment processor.\n\n"
        "C. RETENTION\n\nWe keep data for two years.\n\n"
        "D. CONTACT US\n\nWrite to privacy@example.com with any question.\n"
    )
    labelled = [c for c in parse_clauses("p", text) if c.label]
    assert [c.label for c in labelled] == ["A", "B", "C", "D"]  # the listing's entries are no clauses
    assert text[labelled[3].start : labelled[3].end].startswith("D. CONTACT US\n\nWrite to privacy@")


def test_a_table_of_contents_followed_at_once_by_its_first_section() -> None:
    # The listing runs straight into "1. Welcome!": the repeated entry starts the sections.
    text = (
        "1. Welcome!\n\n2. Your Account\n\n3. What do we charge?\n\n4. Disputes\n\n"
        "1. Welcome!\n\nThese terms apply when you use Widget.\n\n"
        "2. Your Account\n\nYou must be 18 to open an account.\n\n"
        "3. What do we charge?\n\nFees are due monthly. You can pay with one of:\n\nCard Payments\n\nBank Transfer\n\n"
        "4. Disputes\n\nThe courts of Oslo decide disputes.\n"
    )
    got = {c.label: c for c in parse(text) if c.label}
    assert [(c.label, c.heading) for c in got.values()] == [
        ("1", "Welcome!"),
        ("2", "Your Account"),
        ("3", "What do we charge?"),
        ("4", "Disputes"),
    ]
    assert text[got["1"].start :].startswith("1. Welcome!\n\nThese terms apply")
    assert got["4"].parent_id is None  # not a child of the listed "Bank Transfer"


def test_a_title_over_numbering_that_starts_again_is_a_part_not_a_subsection() -> None:
    text = (
        "Widget Order Terms\n\n1. ORDERS\nYou order through the app.\n\n2. LAW\nEnglish law applies.\n\n"
        "WIDGET TERMS OF USE FOR THE WEBSITE\n\nThis page tells you how you may use our site.\n"
        "1. ABOUT US\nWidget Ltd runs the site.\n\n2. SUSPENSION\nWe may suspend your access.\n\n"
        "Liability\n\n1. We are not liable for losses you could have avoided.\n"
    )
    got = by_id(text)
    part = got["widget-terms-of-use-for-the-website"]
    assert part.parent_id is None
    assert got["widget-terms-of-use-for-the-website.2"].heading == "SUSPENSION"
    assert got["widget-terms-of-use-for-the-website.2"].parent_id == part.clause_id
    assert got["liability"].parent_id is None  # the part's sibling, not a subsection of its "2"
    assert got["2"].heading == "LAW" and not got["2"].children


def test_numbered_titles_written_as_list_items_are_sections() -> None:
    text = (
        "Terms of Service\n"
        "* 1. Accounts\nYou must be 18 to open an account.\n"
        "* 2. Termination\nWe may close your account at any time.\n"
        "- A bullet that stays a list item of section 2.\n"
    )
    clauses = by_id(text)
    assert clauses["1"].heading == "Accounts" and clauses["2"].heading == "Termination"
    assert "close your account" in text[clauses["2"].start : clauses["2"].end]
    assert clauses["2.b1"].parent_id == clauses["2"].clause_id


def test_titles_in_sentence_case_between_paragraphs_are_sections() -> None:
    # Web pages write titles in sentence case; one stands alone between two paragraphs, after a
    # sentence has ended. A list's items, or a short line a sentence runs on from, are no titles.
    body = "We collect the information you give us when you create an account or contact our support team."
    text = (
        f"Lanternby Privacy Policy\n\nThis policy explains what Lanternby does with your information.\n\n"
        f"Information we collect\n\n{body}\n\nWe collect the following:\n\nYour name\n\nYour email address\n\n"
        f"We never ask for more than we need.\n\nWhy we keep your data\n\n{body}\n\nWe may share it with\n\npartners who help us run the service.\n"
    )
    heads = [c.heading for c in parse_clauses("l", text) if c.heading]
    assert heads == ["Lanternby Privacy Policy", "Information we collect", "Why we keep your data"]


def test_a_table_of_contents_without_numbers_is_text() -> None:
    # A web page lists its sections before them, without numbers; one listed title has no section of its
    # own below (a page drops it), and one runs long enough to pass for body text after its neighbour.
    sections = ["Who We Are", "What We Collect", "Your Rights", "Data Transfers", "Contact Us"]
    listing = [*sections[:2], "How This Information Is Shared and Who Receives It", *sections[2:]]
    body = "This section explains, in plain words, what Pellucid does and what you can ask of us."
    text = "Pellucid Privacy Policy\n\nThanks for reading.\n\n" + "\n\n".join(listing) + "\n\n"
    text += "".join(f"{s}\n\n{body}\n\n" for s in sections)
    clauses = parse_clauses("p", text)
    heads = [c.heading for c in clauses if c.heading and c.kind != "preamble"]
    assert heads == sections
    # The listing is a unit of its own, which answers never cite (its titles hold many questions' words).
    listing_unit = next(c for c in clauses if text[c.start : c.body_end].startswith("Who We Are\n\nWhat We"))
    assert is_contents(text[listing_unit.start : listing_unit.body_end], {h.lower() for h in heads})
    assert not is_contents(f"{body}\n\nWho We Are\n\nContact Us", {h.lower() for h in heads})


def test_a_table_of_contents_is_text_when_the_sections_show_their_titles_otherwise() -> None:
    # Khan Academy's page: the sections come numbered ("1. What We Collect"), or with their heading run
    # into the first sentence once the page's tags are gone ("Your RightsYou may ask…").
    sections = ["What We Collect", "How We Use It", "Your Rights", "Data Transfers", "Contact Us"]
    body = "This section explains, in plain words, what Pellucid does and what you can ask of us."
    text = "Pellucid Privacy Policy\n\nThanks for reading.\n\nTable of Contents:\n\n" + "\n\n".join(sections)
    text += f"\n\n1. {sections[0]}\n\n{body}\n\n" + "".join(f"{s}{body}\n\n" for s in sections[1:])
    clauses = parse_clauses("p", text)
    # Before, each listed title headed the next ones ("Your Rights" over "Data Transfers").
    assert not [c.heading for c in clauses if c.heading in sections[1:]]
    listing = next(c for c in clauses if text[c.start : c.body_end].strip().endswith("\n\nContact Us"))
    assert text[listing.start : listing.body_end].split() == " ".join(sections).split()
    titles = {s.lower() for s in sections} | {c.heading.lower() for c in clauses if c.heading}
    assert is_contents(text[listing.start : listing.body_end], titles)


def test_a_table_of_contents_is_text_when_the_sections_lead_with_their_titles_in_capitals() -> None:
    # A returns page: the sections write their titles in capitals before their first sentence, or alone
    # with a colon ("DEFINITION 'Return' means…", "RETURN PROCESS:"). Before, the listing's last entry
    # titled the definitions that follow it.
    sections = ["DEFINITION", "RETURN PROCESS", "MEDICAL TEST", "REFUND PROCESS", "SHIPPING CHARGES"]
    text = "Pellucid Returns\n\nPlease check each item on delivery.\n\nTable of Content\n\n" + "\n\n".join(sections)
    text += (
        "\n\nDEFINITION 'Return' means sending back an item you ordered.\n\nRETURN PROCESS:\n\nAsk our team "
        "within 7 days of delivery.\n\nMEDICAL TEST: A test booked by mistake is refunded in full.\n\n"
        "REFUND PROCESS: A refund reaches your card within a week.\n\nSHIPPING CHARGES\n\nOrders over $20 "
        "ship free of charge.\n"
    )
    clauses = parse_clauses("p", text)
    definition = next(c for c in clauses if "DEFINITION 'Return'" in text[c.start : c.body_end])
    assert "SHIPPING CHARGES" not in (*definition.path, definition.heading)
    # ...and the words after the listing are a unit of their own, not the listing's: quoted with it,
    # an answer opened with the list of titles.
    assert text[definition.start : definition.body_end].startswith("DEFINITION 'Return' means")


def test_a_numbered_line_that_only_announces_holds_the_paragraph_it_announces() -> None:
    # Epic's terms: "3.1 Disputes We Agree to Arbitrate:" over a paragraph; "3.1" shown alone was the line.
    text = (
        "Holloway Terms\n\n1. Disputes\n\n1.1 Disputes We Agree to Arbitrate:\n\nAny dispute between you and "
        "Holloway goes to binding arbitration.\n\n1.2 Exceptions:\n\nEither of us may bring a claim in small "
        "claims court.\n\n2. Fees\n\nFees are due monthly.\n"
    )
    clauses = {c.clause_id.split("#")[1]: c for c in parse_clauses("h", text)}
    assert "binding arbitration" in text[clauses["1.1"].start : clauses["1.1"].end]
    assert "small claims court" in text[clauses["1.2"].start : clauses["1.2"].end]
    assert [k for k in clauses if k.startswith("1")] == ["1", "1.1", "1.2"]


def test_a_numbered_title_closing_with_a_colon_holds_its_paragraphs_and_the_numbers_under_it() -> None:
    # Epic's terms: the second paragraph under "3. Binding Individual Arbitration:" ended the clause, and
    # "3.2 Arbitration Procedure:" to "3.6" were then text: asked for 3.2, the product said there is none.
    text = (
        "Resolving Disputes\n\n1. Talk To Us First:\n\nWrite to the support desk and give us thirty days to fix "
        "the problem.\n\n2. Binding Arbitration:\n\nAny dispute that is not settled goes to a single arbitrator.\n\n"
        "The arbitrator, not a judge or jury, makes the final decision.\n\n2.1 Claims Covered:\n\nEvery claim about "
        "the service or these terms is covered by this section.\n\nThe arbitrator decides whether a claim is "
        "covered.\n\n2.2 How To Start:\n\nFile a demand with the arbitration body and send us a copy of it.\n\n"
        "3. No Class Actions:\n\nClaims may be brought only on an individual basis, never as a class.\n"
    )
    clauses = by_id(text)
    assert [k for k in clauses if k[0].isdigit()] == ["1", "2", "2.1", "2.2", "3"]
    assert "not a judge or jury" in text[clauses["2"].start : clauses["2"].body_end]
    assert clauses["2.2"].parent_id == clauses["2"].clause_id
    assert "send us a copy" in text[clauses["2.2"].start : clauses["2.2"].end]
    assert clauses["3"].parent_id == clauses["1"].parent_id
    assert clauses["2.2"].title == "2.2 How To Start"
    # A sentence that lists is no title, though it closes with a colon and names "the Service".
    listing = by_id(
        "4. Conduct\n\n4.1 You agree not to use the Service to:\n\nsend spam or copy other members' work.\n"
    )
    assert listing["4.1"].heading == ""


def test_a_link_back_to_the_top_after_a_title_leaves_the_title() -> None:
    # Older pages end each section title with a link to the top: "Search History . [top]".
    body = "We do not store your searches, and nothing ties one search of yours to another one."
    text = f"Quietfind Privacy\n\n{body}\n\nSearch History . [top]\n\n{body}\n\nCookies ↑\n\n{body}\n"
    heads = [c.heading for c in parse_clauses("q", text) if c.heading and c.kind != "preamble"]
    assert heads == ["Search History", "Cookies"]


def test_sections_whose_titles_link_back_to_the_top_hold_their_lettered_parts() -> None:
    # Steam's subscriber agreement as its page reads: a listing of the sections, then each section's long
    # title in capitals closing with a glyph that links to the top, over lettered parts. The glyph hid
    # the listing (its titles were not found again), the long titles were not read as titles, and the
    # letters became the document's top level: "9.C" did not exist, and "C" was three clauses.
    body = "The member may do this at any time, and the service keeps a record of it for a year."
    text = (
        "Rivermoor Membership Agreement\n\nContents:\n\n1. Membership; your account; how you join\n\n"
        "2. Fees and billing\n\n3. Ending your membership\n\nThis agreement is between you and Rivermoor.\n\n"
        f"1. MEMBERSHIP; YOUR ACCOUNT; HOW YOU JOIN AND WHO MAY JOIN THE RIVERMOOR SERVICE ⏶\n\n{body}\n\n"
        f"A. Joining\n\n{body}\n\nB. Your Account\n\n{body}\n\n2. FEES AND BILLING ⏶\n\nA. Prices\n\n{body}\n\n"
        f"3. ENDING YOUR MEMBERSHIP ⏶\n\nA. Ending by You\n\n{body}\n\nB. Ending by Rivermoor\n\n{body}\n"
    )
    got = by_id(text)
    assert [i for i, c in got.items() if c.label] == ["1", "1.A", "1.B", "2", "2.A", "3", "3.A", "3.B"]
    assert got["2"].heading == "FEES AND BILLING"


def test_a_markdown_heading_lettered_like_a_part_is_numbered_by_its_letter() -> None:
    # TikTok's "## 12. Dispute Resolution" over "### A. Informal resolution process first.", "### B.
    # Exclusive venue.", "### C. One year limitation period": only C was numbered (as a roman hundred), so
    # "section 12.B" was not found.
    body = "Any claim must first go to our support team, which answers within thirty days of receiving it."
    got = by_id(
        f"# Terms\n\n## 12. Dispute Resolution\n\n### A. Informal resolution first.\n\n{body}\n\n"
        f"### B. Exclusive venue.\n\n{body}\n\n### C. One year limitation period\n\n{body}\n"
    )
    assert [c.label for c in got.values() if c.label] == ["12", "A", "B", "C"]
    assert [i for i, c in got.items() if c.label][-1].endswith("12.C")


def test_a_number_going_on_with_the_top_level_leaves_the_titles_within_the_item_before() -> None:
    # Pinterest's terms as Markdown: within "11. Arbitration" a page heading and a summary's title
    # without numbers; "12. Governing law" went under the last of them, and 13 with it.
    body = "Any dispute will be settled by one arbitrator under the rules of the association named here."
    got = by_id(
        f"10. Liability\n\n{body}\n\n11. Arbitration\n\n{body}\n\n# Batched Claims\n\n{body}\n\n"
        f"In Plain Words\n\n{body}\n\n12. Governing law\n\n{body}\n\n13. General terms\n\n{body}\n"
    )
    assert [i for i, c in got.items() if c.label][-2:] == ["12", "13"]


def test_a_list_item_ending_in_or_is_no_title() -> None:
    # Dropbox's liability list, in capitals: "1. ANY INDIRECT … DAMAGES, OR" read as a title made the
    # numbers the document's top level, and every list under a title without a number left its title.
    got = by_id(
        "Harbourline Terms\n\nThese terms govern your use of the Harbourline service.\n\n"
        "Termination\n\nWe may end your access if we reasonably believe:\n\n1. you are in breach of these terms,\n"
        "2. your use would cause us harm.\n\nLimitation of Liability\n\nWE ARE NOT LIABLE FOR:\n\n"
        "1. ANY INDIRECT, SPECIAL, INCIDENTAL OR CONSEQUENTIAL DAMAGES, OR\n2. ANY LOSS OF USE, DATA OR PROFITS.\n"
    )
    assert [i for i, c in got.items() if c.label] == [
        "termination.1",
        "termination.2",
        "limitation-of-liability.1",
        "limitation-of-liability.2",
    ]
    assert not is_heading_text("ANY INDIRECT, SPECIAL, INCIDENTAL OR CONSEQUENTIAL DAMAGES, OR")


def test_a_pages_menu_heading_holds_none_of_the_sections_after_it() -> None:
    # Dropbox's page: "### Industries" over the site's links, then the terms' titles without numbers. Under
    # the menu's heading every section's path read "Industries › Termination".
    body = "You may stop using the service at any time, and we may end your access as set out below."
    got = by_id(
        "Skip to main content\n\n### Teams\n\n  • Sales\n\n  • Marketing\n\n"
        "### Industries\n\n  • Construction\n\n  • Media\n\n• Pricing\n\nLegal\n\n"
        f"Harbourline Terms of Service\n\n{body}\n\nYour Files\n\n{body}\n\nTermination\n\n{body}\n"
    )
    assert [i for i, c in got.items() if c.kind == "bare"][-3:] == [
        "harbourline-terms-of-service",
        "your-files",
        "termination",
    ]


def test_the_letter_after_h_goes_on_with_the_letters_unless_a_roman_list_goes_on() -> None:
    # "I." after "H." is the ninth letter (Steam's "I. Refunds" after "H. Third-Party Sites"); read as the
    # first of a roman list, it sat under H.
    body = "Refunds are paid to the card used, within fourteen days of the request."
    parts = "".join(f"{chr(64 + n)}. Part {n}\n\n{body}\n\n" for n in range(1, 9))
    letters = by_id(f"1. Payments\n\n{parts}I. Refunds\n\n{body}\n\n2. Ending\n\n{body}\n")
    assert [i for i, c in letters.items() if c.label][-4:] == ["1.G", "1.H", "1.I", "2"]
    # A roman list under H that goes on to "II." stays one.
    roman = by_id(f"1. Payments\n\n{parts}I. Who may resell\n\n{body}\n\nII. What they charge\n\n{body}\n")
    assert [i for i, c in roman.items() if c.label][-3:] == ["1.H", "1.H.I", "1.H.II"]


def test_items_with_a_paragraph_each_stay_one_list() -> None:
    t = (
        "1. Service\n\nWe provide it as follows:\n\n• Safety.\nWe develop tools that help.\n\n"
        "• Access.\nWe store data around the world.\n\n• Research.\nWe study our Service.\n\n"
        "2. Sharing\n\nWe share with:\n\n• payment processors\n• auditors\n\nWe also share with these:\n\n• courts\n"
    )
    got = ids(t)
    assert [i for i in got if i.startswith("1.b")] == ["1.b1", "1.b2", "1.b3"], "not each item under the one before"
    # A paragraph that announces a list of its own still holds it.
    assert [i for i in got if i.startswith("2.p1.")] == ["2.p1.b1"]


def test_a_markdown_documents_listing_of_its_sections_is_no_section() -> None:
    t = (
        "# Harbourline Terms\n\n## Contents\n\n1. Accounts\n\n2. Fees\n\n3. Ending\n\n## Introduction\n\n"
        "These terms apply to you.\n\n## 1. Accounts\n\nOne account per person.\n\n## 2. Fees\n\n"
        "Fees are due each month.\n\n## 3. Ending\n\nEither side may end these terms.\n"
    )
    got = by_id(t)
    assert [i for i, c in got.items() if c.label] == ["1", "2", "3"]
    assert got["2"].heading == "Fees" and t[got["2"].start :].startswith("## 2. Fees")
    assert "introduction" in got, "the first heading after the listing is still a section"
    # A listing of links to the sections writes each number twice (Kickstarter's "1. 1. Welcome…"): read as
    # sections, "12. 12. Deleting Your Account" was cited alone for a Portuguese question about closing one.
    twice = t.replace("1. Accounts\n\n2. Fees\n\n3. Ending", "1. 1. Accounts\n\n2. 2. Fees\n\n3. 3. Ending", 1)
    got = by_id(twice)
    assert [i for i, c in got.items() if c.label] == ["1", "2", "3"]
    assert got["2"].heading == "Fees" and twice[got["2"].start :].startswith("## 2. Fees")


def test_an_indented_item_is_the_item_above_and_a_list_taken_up_again_goes_on_where_it_stood() -> None:
    t = (
        "# Terms\n\n## 3.3 Permissions\n\n1. Your content: you own what you post.\n\n"
        "2. Deleting your content: you can delete it at any time.\n\nDeletion may take 90 days, except:\n\n"
        "• where others shared it\n\n• where we must keep it to:\n\n  • investigate abuse\n\n  • comply with the law\n\n"
        "• where backups hold it\n\n3. Your name: we may show it beside ads.\n\n## 3.4 Limits\n\nNo scraping.\n"
    )
    got = parse(t)
    at = {t[c.start : c.body_end].split(":")[0].strip(" •\n"): c for c in got}
    assert at["investigate abuse"].parent_id == at["where we must keep it to"].clause_id
    assert at["where backups hold it"].parent_id == at["where we must keep it to"].parent_id
    assert at["3. Your name"].parent_id == at["2. Deleting your content"].parent_id


def test_a_list_taken_up_again_may_skip_the_number_of_a_title_written_without_it() -> None:
    # Khan Academy's page: "2." then a title without its "3." ("Methods for providing Parental consent."),
    # then "4. Restricted Accounts for Child Users." was text, and "section 4" was not found.
    t = (
        "Children\n\n1. Signing Up Through A Parent.\n\nA parent confirms the account by email before it opens.\n\n"
        "2. Signing Up Through A School.\n\nA school may confirm the accounts of its own pupils.\n\n"
        "How A Parent Confirms.\n\nThe parent answers the email we send within seven days.\n\n"
        "4. Limited Accounts.\n\nA limited account cannot post in the public forums.\n\n"
        "5. What We Collect.\n\nWe collect a username and a birth date, nothing more.\n"
    )
    labels = {c.label: c for c in parse(t) if c.label}
    assert {"1", "2", "4", "5"} <= set(labels)
    assert "public forums" in t[labels["4"].start : labels["4"].end]
    assert "public forums" not in t[labels["2"].start : labels["2"].end]


def test_a_list_goes_on_after_a_list_in_one_of_its_items_that_numbers_again_from_one() -> None:
    # Betterpoints' code of conduct: item 5 lists "1." to "3." of its own, and "6." to "10." were text.
    t = (
        "Code of Conduct\n\nYou agree to the following rules:\n1.\tYou will keep other members' details private;\n"
        "2.\tYou will not post anything in a way which\n1. is unlawful\n2. breaks the rights of others, or\n"
        "3. is offensive to other members;\n3.\tYou will not send advertising through the service;\n"
        "4.\tYou will not upload any harmful software.\n"
    )
    labels = [c.label for c in parse(t) if c.label]
    assert labels.count("3") == 2 and labels.count("4") == 1
    last = next(c for c in parse(t) if c.label == "4")
    first = next(c for c in parse(t) if c.label == "1")
    assert last.parent_id == first.parent_id


def test_a_section_titled_with_two_titles_a_full_stop_parts_keeps_its_title_and_its_text() -> None:
    # Read as a sentence, "5. Changes. Suspension and Termination" gave section 5 no title, and the
    # paragraph under "3. Billing Schedule. No Refunds" was a clause of its own: "section 3" showed one line.
    text = (
        "Terms of Service\n\n4. Software\n\nYou may use the software we provide only with the service.\n\n"
        "5. Changes. Suspension and Termination\n\n5.1 Changes. We may change these terms at any time by "
        "posting a new version on the site.\n\n5.2 Suspension. We may suspend your account for any breach.\n\n"
        "6. Billing Schedule. No Refunds\n\nThe service is billed in advance each month and is non-refundable.\n"
    )
    by_label = {c.label: c for c in parse_clauses("t", text)}
    assert by_label["5"].heading == "Changes. Suspension and Termination"
    assert by_label["5.2"].path == ("5 Changes. Suspension and Termination",)
    assert by_label["6"].heading == "Billing Schedule. No Refunds"
    assert "non-refundable" in text[by_label["6"].start : by_label["6"].end]


def test_a_paragraph_indented_under_a_numbered_item_is_the_items_and_its_list_goes_on() -> None:
    text = (
        "4. USING THE SERVICE\n\n"
        "  1. Eligibility. You must have the power to enter into these Terms.\n\n"
        "  2. Accounts. You must create an Account to use some features.\n\n"
        "    Your Account is for your personal, non-commercial use only.\n\n"
        "  3. Communications. You consent to receive messages from us.\n\n"
        "5. CONTENT\n\n"
        "  1. Your Content. You alone are responsible for Your Content.\n\n"
        "Flush-left words after the list belong to section 5, not to its item.\n"
    )
    got = by_id(text)
    assert text[got["4.2"].start : got["4.2"].end].rstrip().endswith("non-commercial use only.")
    assert got["4.3"].parent_id == got["4"].clause_id and got["5"].parent_id is None
    assert not text[got["5.1"].start : got["5.1"].end].rstrip().endswith("not to its item.")


def test_a_title_run_into_a_definition_that_opens_with_the_quoted_term_is_the_clauses_title() -> None:
    # As Yelp's definitions and a subscription agreement's "7.2 Calculation. "Monthly Uptime…" means…":
    # the sentence after the title opens with a quotation mark, and the clause had no title.
    text = (
        "1. DEFINITIONS\n\n"
        "  1. Parties. “You” and “your” refer to you, as a user of the Service.\n\n"
        '  2. Uptime. "Monthly Uptime Percentage" means the minutes in a month the Service was up.\n\n'
        "2. FEES\n\nYou pay the fees on your order form within thirty days.\n"
    )
    got = by_id(text)
    assert got["1.1"].heading == "Parties" and got["1.2"].heading == "Uptime"


def test_a_title_with_a_preposition_in_lower_case_is_still_a_title() -> None:
    # Title Case leaves "from" and "with" in lower case: Yelp's "5. Communications from Yelp and Others.
    # By accessing…" and Oculus's "Purchasing Services from Oculus" had no title.
    text = (
        "4. USING THE SERVICE\n\n"
        "  1. Accounts. You must create an Account to use some features.\n\n"
        "  2. Communications from Wren and Others. By using the Service, you consent to receive messages.\n\n"
        "  3. Compliance with Laws. You will follow every law that applies to you.\n"
    )
    got = by_id(text)
    assert got["4.2"].heading == "Communications from Wren and Others"
    assert got["4.3"].heading == "Compliance with Laws"


def test_clauses_that_announce_the_same_links_are_clauses_not_a_table_of_contents() -> None:
    # As Wargaming's terms: "7.4 … at the following links:" and "7.6 …", each over the same list of games'
    # links, were read as a table of contents, and 7.4 and 7.6 were text of the clauses before them.
    links = "".join(
        f"• World of {game}\n\n" for game in ("Tanks", "Warships", "Warplanes", "Tanks Blitz", "Tanks: Armor")
    )
    text = (
        "7. Guidelines\n\n7.3. Wargaming may provide explanations and examples of how these and other rules contained in "
        "this EULA apply to a particular situation or Product depending on its nature (“Guidelines”).\n\n"
        f"7.4. The Guidelines that apply to particular games are set out at the following links:\n\n{links}"
        f"7.5. The Guidelines that apply to clans in particular games are set out at the following links:\n\n{links}"
        f"7.6. The Guidelines that apply to your use of Forums are set out at the following links:\n\n{links}"
        "7.7. We may add, amend, and delete Guidelines in future.\n"
    )
    labels = [c.label for c in parse(text) if c.label.startswith("7.")]
    assert labels == ["7.3", "7.4", "7.5", "7.6", "7.7"]


def test_the_first_clause_of_a_section_whose_title_line_is_missing_starts_it() -> None:
    # As Wargaming's terms: "16.9. …" then "17.1. The law of the Republic of Cyprus shall apply…", with no
    # "17." line: 17.1-17.3 were paragraphs of section 16, and "section 17.1" was not found.
    text = (
        "16. Termination\n\n16.1. You may delete your Account at any time.\n\n"
        "16.2. If you believe we closed your Account in error, contact our support.\n\n"
        "17.1. The law of the Republic of Cyprus shall apply to this agreement.\n\n"
        "17.2. Any dispute goes first to our support team.\n\n"
        "18. Consumer Rights\n\n18.1. Nothing here limits your statutory rights.\n"
    )
    got = {c.label: c for c in parse(text) if c.label}
    assert got["17.1"].parent_id is None and got["17.2"].parent_id is None
    assert not text[got["16"].start : got["16"].end].count("Cyprus")
    assert got["18.1"].parent_id == got["18"].clause_id


def test_a_section_whose_title_starts_with_a_quantity_keeps_its_number(tmp_path: Path) -> None:
    # As Crunchyroll's terms: "**_13.8_**_.30-Day Right to Opt-Out_" reads "13.8.30-Day Right to Opt-Out";
    # it was clause 13.8.30 under 13.7, and "section 13.8" was not found.
    page = tmp_path / "terms.md"
    page.write_text(
        "# Terms of Service\n\n## 12. Liability\n\nOur liability is limited to the fees you paid.\n\n"
        "## 13. Disputes\n\n**_13.7_**_.Arbitration Award_\n\nThe arbitrator's award is final.\n\n"
        "**_13.8_**_.30-Day Right to Opt-Out_\n\nYou can opt out of arbitration within 30 days.\n\n"
        "**_13.9_**_.Changes to this Section_\n\nWe will give notice of changes.\n",
        encoding="utf-8",
    )
    doc = load_document(page)
    got = {c.label: c for c in parse_clauses(doc.doc_id, doc.text) if c.label}
    assert [k for k in got if k.startswith("13.")] == ["13.7", "13.8", "13.9"]
    assert got["13.8"].parent_id == got["13"].clause_id
    assert got["13.8"].heading == "30-Day Right to Opt-Out"


def test_a_title_that_joins_two_topics_with_a_semicolon_titles_its_section() -> None:
    # As eBay's terms: "Disclaimer of Warranties; Limitation of Liability" was no title, so the liability
    # clauses were text of the section above ("Holds"); as Alexa's: "2. Third Party Services; Third Party
    # Products." over "2.1 …" titled nothing.
    text = (
        "Holds\nTo protect us from risk of liability for your actions as a seller, we may hold your payments.\n\n"
        "Disclaimer of Warranties; Limitation of Liability\nWe try to keep our Services running, but we are not "
        "liable for any losses of yours.\n"
    )
    got = {c.heading: c for c in parse(text)}
    assert "Disclaimer of Warranties; Limitation of Liability" in got
    assert "liable" not in text[got["Holds"].start : got["Holds"].end]
    numbered = (
        "1. Alexa\n\n1.1 Use of the Software. You may use the software on your own devices only.\n\n"
        "2. Third Party Services; Third Party Products.\n\n2.1 Third Party Services. If you use a service of a third "
        "party, its own terms apply.\n\n2.2 Third Party Products. We do not make the devices others sell.\n"
    )
    assert by_id(numbered)["2"].heading == "Third Party Services; Third Party Products."
