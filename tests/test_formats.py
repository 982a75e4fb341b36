"""PDF, web pages and Word files: extracted text the clause parser can read, citations with pages and
exact quotes, documents fetched by URL from a local server, and one identity per file name."""

from __future__ import annotations

import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.clauses import parse_clauses
from ingest.errors import LoadError
from ingest.extract.html import html_text
from ingest.extract.pdf import pdf_text
from ingest.extract.word import docx_text
from ingest.load import load_document, parse_bytes
from ingest.pipeline import prepare
from ingest.types import Clause, SourceDoc
from qa.chain import Clausewise
from qa.settings import Settings

from .build_docs import HEADER, docx_of, pdf_of, pdf_without_text
from .conftest import engine_over, run_module

FORMATS_DEV = Path(__file__).resolve().parents[2] / "shared" / "formats-dev"

# Three pages of a contract as a PDF lays them out: wrapped lines, clause 2.1 running over a page break,
# a hyphen that only wraps a word ("infor-mation") and one that belongs to it ("third-party").
PAGES = [
    [
        "ACME CLOUD SERVICES AGREEMENT",
        "1. Definitions",
        "1.1 In this Agreement the Customer means the person who orders the Services and the",
        "Provider means ACME Cloud Limited, including its successors and assigned affiliates.",
        "1.2 Customer Data means all information the Customer uploads to the Services.",
        "2. Fees and Payment",
        "2.1 The Customer shall pay the monthly fee stated in the order form within thirty days",
        "of the invoice date. Late payments carry interest at two percent per month and the",
    ],
    [
        "Provider may suspend the Services after giving ten days written notice of the late",
        "payment to the billing contact named in the order form.",
        "2.2 All fees are exclusive of taxes. The Provider shares billing infor-",
        "mation with its payment processor only. Any third-",
        "party processor is bound by confidentiality obligations at least as strict as these.",
        "3. Termination",
    ],
    [
        "3.1 Either party may terminate this Agreement for convenience on ninety days notice.",
        "3.2 On termination the Provider deletes Customer Data within sixty days, unless the law",
        "requires the Provider to keep it for longer.",
    ],
]


@pytest.fixture
def engine(tmp_path: Path) -> Clausewise:
    return Clausewise(Settings(home=tmp_path / "home", allow_private_urls=True))


def test_a_pdf_reads_as_its_clauses_without_running_headers_or_footers() -> None:
    ex = pdf_text(pdf_of(PAGES), "acme.pdf")
    assert HEADER not in ex.text and "Page 2 of 3" not in ex.text
    assert (
        "\n\n2.1 The Customer shall pay the monthly fee stated in the order form within thirty days of the invoice date."
        in ex.text
    )
    # The clause runs on over the page break as one paragraph.
    assert "per month and the Provider may suspend the Services" in ex.text
    assert "billing information with" in ex.text and "third-party processor" in ex.text
    assert len(ex.pages) == 3 and ex.text[ex.pages[1] :].startswith("Provider may suspend")
    assert ex.text[ex.pages[2] :].startswith("3.1 Either party")


def test_pdf_citations_carry_the_page_and_quote_the_extracted_text_exactly(engine: Clausewise) -> None:
    status, doc = engine.ingest_upload(pdf_of(PAGES), "acme-cloud.pdf")
    assert status == "added" and doc.doc_id == "acme-cloud-pdf"
    a = engine.ask("How long until Customer Data is deleted after termination?", ["acme-cloud.pdf"])
    c = a.citations[0]
    text = engine.snapshot().docs[doc.doc_id].text
    assert c.label == "3.2" and c.page == 3 and c.quote == text[c.start : c.end]
    assert "sixty days" in c.quote
    found = engine.lookup("acme-cloud 2.1")
    assert found is not None and found.citations[0].page == 1
    assert found.citations[0].quote.endswith("named in the order form.")


def test_a_pdf_without_text_or_cut_short_gets_one_line() -> None:
    with pytest.raises(LoadError, match=r"no text layer \(scanned\?\)"):
        pdf_text(pdf_without_text(), "scan.pdf")
    raw = pdf_of(PAGES)
    with pytest.raises(LoadError, match="not a readable PDF"):
        pdf_text(raw[: len(raw) // 2], "cut.pdf")


ITEMS = [
    (None, "Terms of Service", "h"),
    (0, "Accounts", ""),
    (1, "You must keep your password safe.", ""),
    (1, "We may suspend an account in these cases:", ""),
    (2, "fraud or abuse of the service;", ""),
    (2, "unpaid fees after a written reminder.", ""),
    (0, "Fees", ""),
    (1, "Fees are billed monthly in advance and are not refundable.", ""),
    (None, "Schedule 1 Service Levels", "h"),
    (0, "Uptime is 99.9% in each calendar month.", ""),
    (0, "Service credits are the only remedy for downtime.", ""),
]


def test_word_numbering_is_written_out_and_restarts() -> None:
    text = docx_text(docx_of(ITEMS, restart_at=9), "t.docx").text
    assert "1. Accounts\n\n1.1. You must keep your password safe." in text
    assert "1.2. We may suspend an account in these cases:\n\n(a) fraud or abuse of the service;" in text
    assert "(b) unpaid fees" in text and "2.1. Fees are billed monthly" in text
    assert "Schedule 1 Service Levels\n\n1. Uptime is 99.9%" in text and "2. Service credits" in text


def test_a_word_file_answers_by_its_numbering(engine: Clausewise) -> None:
    engine.ingest_upload(docx_of(ITEMS, restart_at=9), "initech-terms.docx")
    found = engine.lookup("initech 2.1")
    assert found is not None and found.citations[0].quote.startswith("2.1. Fees are billed monthly")
    a = engine.ask("Can Initech suspend my account?", ["initech-terms.docx"])
    assert a.status == "answered" and any("suspend an account" in c.quote for c in a.citations)


def test_word_files_that_are_not_or_that_unpack_too_far_are_refused() -> None:
    with pytest.raises(LoadError, match="not a Word file"):
        docx_text(b"just words", "a.docx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w") as f:
        zeros = b"\0" * (1 << 20)
        for _ in range(120):
            f.write(zeros)
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(LoadError, match="unpacks to 120 MiB"):
        docx_text(bomb.getvalue(), "bomb.docx")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_of(ITEMS))) as good, zipfile.ZipFile(broken, "w") as z:
        for item in good.infolist():
            z.writestr(item, b"<w:numbering <<<" if item.filename == "word/numbering.xml" else good.read(item))
    with pytest.raises(LoadError, match="could not be read"):
        docx_text(broken.getvalue(), "broken.docx")


PAGE = b"""<!doctype html><html><head><title>Globex Terms</title><style>body{color:red}</style>
<script>window.tracker = "SCRIPT-TEXT";</script></head><body>
<nav><a href="/">Home</a> <a href="/pricing">NAV-PRICING-LINK</a> <a href="/blog">Blog</a></nav>
<div class="cookie-banner" id="cookie-consent">COOKIE-BANNER We use cookies. <button>Accept all</button></div>
<main><article>
<h1>Globex Terms of Service</h1>
<p>These terms govern your use of the Globex platform and the services we provide to you.</p>
<h2>1. Accounts</h2>
<p>1.1 You must be at least 16 years old to open a Globex account and use the services.</p>
<p>1.2 Globex may suspend your account if you break these terms, after warning you by e-mail.</p>
<h2>2. Refunds</h2>
<ul><li>Annual plans are refunded pro rata within 30 days of purchase.</li>
<li>Monthly plans are not refunded once the month has started.</li></ul>
<table><tr><td>Plan</td><td>Refund window</td></tr><tr><td>Annual</td><td>30 days</td></tr></table>
</article></main>
<footer>FOOTER-TEXT Copyright Globex Corp. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


@pytest.fixture
def site() -> Iterator[str]:
    """A web server on 127.0.0.1 with a terms page, a redirect to it, terms in Markdown served as plain text
    (as raw files are), and a page that is not a document."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if self.path in ("/old-terms", "/to-metadata"):
                self.send_response(301)
                where = "/legal/terms" if self.path == "/old-terms" else "http://169.254.169.254/latest/meta-data/"
                self.send_header("Location", where)
                self.end_headers()
                return
            body, ctype = {
                "/legal/terms": (PAGE, "text/html; charset=utf-8"),
                "/raw/streamly-terms.md": (PLATFORM_MD.encode(), "text/plain; charset=utf-8"),
            }.get(self.path, (b"\x89PNG", "image/png"))
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_web_page_by_url_keeps_its_text_and_loses_scripts_navigation_and_banners(
    engine: Clausewise, site: str
) -> None:
    status, doc = engine.ingest_url(f"{site}/old-terms")  # redirected to /legal/terms
    assert status == "added" and doc.source == f"{site}/old-terms" and doc.source_url == doc.source
    text = engine.snapshot().docs[doc.doc_id].text
    for leaked in ("SCRIPT-TEXT", "NAV-PRICING-LINK", "FOOTER-TEXT", "color:red"):
        assert leaked not in text
    assert "\n\n1.2 Globex may suspend your account" in text and "Monthly plans are not refunded" in text
    a = engine.ask("Can Globex suspend my account?", [doc.source])
    c = a.citations[0]
    assert c.label == "1.2" and c.quote == text[c.start : c.end] and c.source_url == doc.source and c.page is None


def test_the_cli_ingests_a_url(tmp_path: Path, site: str) -> None:
    home = tmp_path / "cli-home"
    run = run_module("ingest", f"{site}/legal/terms", home=home, env={"CLAUSEWISE_ALLOW_PRIVATE_URLS": "1"})
    assert run.returncode == 0 and "1 added" in run.stdout, run.stderr
    run = run_module("ingest", f"{site}/legal/terms", home=home)
    assert run.returncode == 1 and "internal address" in run.stderr and "Traceback" not in run.stderr
    run = run_module("qa", "ask", "Are monthly plans refunded?", "--json", home=home)
    cited = json.loads(run.stdout)["citations"][0]
    assert cited["source_url"] == f"{site}/legal/terms" and "Monthly plans are not refunded" in cited["quote"]


def test_urls_to_internal_addresses_are_refused_unless_allowed(tmp_path: Path, site: str) -> None:
    cw = Clausewise(Settings(home=tmp_path / "locked"))
    with pytest.raises(LoadError, match="internal address.*CLAUSEWISE_ALLOW_PRIVATE_URLS=1"):
        cw.ingest_url(f"{site}/legal/terms")
    with pytest.raises(LoadError, match="only http:// and https://"):
        cw.ingest_url("file:///etc/passwd")


def test_a_redirect_is_checked_again(engine: Clausewise, site: str) -> None:
    with pytest.raises(LoadError, match="169.254.169.254.*link-local"):
        engine.ingest_url(f"{site}/to-metadata")  # allowed to 127.0.0.1, not on to a metadata service


def test_an_address_that_resolves_differently_on_connect_is_caught(
    tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.fetch

    # The check is told a public address; the connection then goes to 127.0.0.1 (DNS rebinding).
    monkeypatch.setattr(ingest.fetch, "_resolve", lambda host, port: [(2, 1, 6, "", ("93.184.216.34", port))])
    cw = Clausewise(Settings(home=tmp_path / "locked"))
    with pytest.raises(LoadError, match=r"internal address \(127.0.0.1\)"):
        cw.ingest_url(f"{site}/legal/terms")


def test_a_url_that_is_not_a_document_gets_one_line(engine: Clausewise, site: str) -> None:
    with pytest.raises(LoadError, match="image/png"):
        engine.ingest_url(f"{site}/logo.png")


def test_a_document_is_its_file_name_with_the_extension(engine: Clausewise) -> None:
    text = b"1. Refunds\n\nRefunds are paid within 14 days of a request made in writing.\n"
    engine.ingest_upload(text, "terms.txt")
    engine.ingest_upload(text, "terms.md")
    engine.ingest_upload(pdf_of(PAGES), "terms.pdf")
    engine.ingest_upload(docx_of(ITEMS), "terms.docx")
    docs = engine.snapshot().docs
    assert sorted(d.meta.source for d in docs.values()) == ["terms.docx", "terms.md", "terms.pdf", "terms.txt"]


@pytest.mark.skipif(not FORMATS_DEV.is_dir(), reason="shared/formats-dev is not beside the repo")
@pytest.mark.parametrize("path", sorted(p for p in FORMATS_DEV.glob("*/*") if p.is_file()), ids=lambda p: p.name[:30])
def test_real_pages_and_pdfs_read_as_documents(path: Path) -> None:
    doc = load_document(path)
    clauses = parse_clauses(doc.doc_id, doc.text)
    assert len(doc.text) > 1000 and len(clauses) >= len(doc.text) / 1500
    for leaked in ("function(", "var ", "{display", "document.getElementById"):
        assert leaked not in doc.text
    if path.suffix.lower() == ".pdf":
        assert len(doc.pages) >= 3


def test_deep_html_is_flattened_not_a_crash() -> None:
    words = b"The provider may end the service at any time and for any reason at all. " * 30
    deep = b"<html><body>" + b"<div>" * 200_000 + b"<p>" + words + b"</p>" + b"</div>" * 200_000 + b"</body></html>"
    assert "may end the service" in html_text(deep, "deep.html").text
    with pytest.raises(LoadError, match="no readable text"):
        html_text(b"<div " * 64_000, "unclosed.html")  # unclosed tags: refused in well under a second


def test_numbered_headings_at_the_top_of_each_page_are_not_running_headers() -> None:
    pages = [
        [
            f"ARTICLE {i}",
            name,
            f"{i}.1 {body}",
            f"{i}.2 The parties may agree otherwise in writing, signed by both of them.",
        ]
        for i, name, body in (
            (1, "FEES", "The customer pays the fees in the order form within thirty days."),
            (2, "TERM", "This agreement runs for one year and renews for further years."),
            (3, "TERMINATION", "Either party may end this agreement on ninety days notice."),
        )
    ]
    text = pdf_text(pdf_of(pages), "a.pdf").text
    assert "ARTICLE 2\n\nTERM" in text
    clauses = parse_clauses("a", text)
    assert {("2", "TERM"), ("3", "TERMINATION")} <= {(c.label, c.heading) for c in clauses}


def test_an_original_page_break_inside_a_refiled_page_is_not_a_heading() -> None:
    # An SEC exhibit re-typeset from a paper original keeps the original's "Page 6" inside its pages.
    body = [f"Line {n} of the maintenance terms, which go on for a while." for n in range(6)]
    pages = [
        ["8. CHARGES", "The customer pays the annual charge in advance.", *body, "Page 6", "9. TERMINATION", *body],
        ["10. NOTICES", "Notices are given in writing.", *body],
    ]
    text = pdf_text(pdf_of(pages), "m.pdf").text
    assert "Page 6" not in text
    tops = [c.label for c in parse_clauses("m", text) if c.parent_id is None and c.label]
    assert tops == ["8", "9", "10"]


def test_a_bare_page_number_inside_a_running_sentence_is_dropped_and_a_list_number_kept() -> None:
    body = [f"Line {n} of the outsourcing terms, which go on for a while." for n in range(6)]
    # A filing re-typeset from a paper original keeps the original's bare page numbers mid-page.
    pages = [
        [
            *body,
            "1.3 TERMINATION FOR CAUSE. If either party defaults and does not cure the default within",
            "thirty days after being given written notice of it, then the party not in default",
            "2",
            "may, by giving written notice to the defaulting party, terminate this Agreement at once.",
            *body,
            "The fees are set out in the following schedule:",
            "2",
            "the setup fee of one thousand dollars, payable on signature of this Agreement by both.",
            *body,
            # The original's "2" at the foot of its page and "3" at the top of the next, one after the other.
            "2.4 NEW CLIENTS. For each new client the provider reports the revenue for care",
            "2",
            "3",
            "Management Revenues by New Client within fifteen days after each month ends.",
            *body,
            "The service levels are, by priority:",
            "1",
            "2",
            "3",
            "Each level is answered within the hours that the support schedule sets out.",
            "²",
            *body,
        ]
    ]
    text = pdf_text(pdf_of(pages), "o.pdf").text
    assert "then the party not in default may, by giving written notice" in text, "one clause, as written"
    assert "schedule:\n\n2 the setup fee" in text, "a number after a finished line is the document's own"
    assert "revenue for care Management Revenues by New Client" in text, "one clause, as written"
    assert "1\n\n2\n\n3" in text, "a column of numbers is the document's own"


def test_word_numbering_that_comes_from_a_paragraph_style_is_written_out() -> None:
    import docx

    d = docx.Document()  # Word's own template: "List Number" numbers through its style, not the paragraph
    d.add_heading("Fees", 1)
    d.add_paragraph("Fees are billed monthly.", style="List Number")
    d.add_paragraph("Late payments carry interest.", style="List Number")
    d.add_paragraph("No refunds after 30 days.", style="List Number")
    buf = io.BytesIO()
    d.save(buf)
    text = docx_text(buf.getvalue(), "fees.docx").text
    assert "1. Fees are billed monthly.\n\n2. Late payments carry interest.\n\n3. No refunds" in text


def test_titles_in_plain_divs_and_list_items_without_a_list_are_kept() -> None:
    # A saved newspaper page: section titles are <div class="subhead">, and a list's <li>s have no <ul>.
    para = "We keep the information we collect for as long as your account is open and delete it after. " * 3
    page = (
        "<html><head><title>Gazette Privacy Policy</title></head><body><article>"
        "<p>This policy explains what the Gazette does with your information.</p>"
        f"<div class='subhead'>Information We Collect</div><p>{para} For example, we may collect:</p>"
        "<li>Device information, such as your IP address</li><li>Location information, such as GPS</li>"
        f"<div class='subhead'>Children's Privacy</div><p>{para}</p></article></body></html>"
    )
    text = html_text(page.encode(), "gazette.html").text
    for line in ("Information We Collect", "• Device information, such as your IP address", "Children's Privacy"):
        assert f"\n{line}\n" in f"\n{text}\n", line
    clauses = parse_clauses("g", text)
    assert [c.title for c in clauses if c.parent_id is None and c.title != "Preamble"][:2] == [
        "Information We Collect",
        "Children's Privacy",
    ]


def test_bulleted_items_of_a_page_are_neither_titles_nor_units_apart_from_the_words_that_list_them() -> None:
    # Two short items naming mediators, then the governing-law paragraph: read as a bare line over a
    # paragraph, the last item was taken for the paragraph's title, and answers about the law cited
    # "Harbour Mediation Service".
    law = "These terms are governed by the laws of Ontario, and its courts alone hear any dispute about them."
    page = (
        "<html><head><title>Tallow Terms</title></head><body><article>"
        "<h2>9. Disputes</h2><p>If support cannot settle your complaint, you may go to one of these bodies:</p>"
        "<ul><li>The Northern Dispute Centre</li><li>Harbour Mediation Service</li></ul>"
        f"<p>{law}</p></article></body></html>"
    )
    doc = parse_bytes(page.encode(), "tallow.html")
    assert "\n• Harbour Mediation Service\n" in doc.text
    clauses = parse_clauses(doc.doc_id, doc.text)
    governing = next(c for c in clauses if doc.text[c.start : c.body_end].strip() == law)
    assert not any(c.heading == "Harbour Mediation Service" for c in clauses)
    assert governing.path == ("9 Disputes",)
    # The items of a list under a paragraph of its own ("…will never refund:") were a unit apart from
    # it, and the answer quoted "• a gift card" as what Tallow refunds.
    renew = (
        "Plans renew each month until you cancel them in the settings page of your account, and we charge the card on file. "
        * 7
    )
    page = (
        "<html><head><title>Tallow Plans</title></head><body><article><p>Payments and plans.</p>"
        f"<p>{renew}</p><p>4. Cancelled plans.</p><p>{renew}</p><p>Tallow will never refund:</p>"
        "<ul><li>a plan cancelled after its first 14 days</li><li>a gift card</li></ul></article></body></html>"
    )
    doc = parse_bytes(page.encode(), "plans.html")
    units = [doc.text[c.start : c.end] for c in prepare(doc).chunks]
    assert any("never refund:" in u and "• a gift card" in u for u in units), units


def test_headings_written_as_loose_text_between_blocks_are_kept() -> None:
    # A saved page whose section titles are bare text between paragraphs and lists, not <h2>s.
    para = "Widget may change these terms and will tell you by email at least thirty days before. " * 3
    page = (
        "<html><head><title>Widget Terms</title></head><body><div>"
        f"Terms of Use<br><br>Please read these terms carefully.<br>"
        f"<ul><li>Accounts</li><li>Payments</li></ul> 1. Accounts <p>{para}</p>"
        f"<ul><li>Keep your password secret and tell us if it leaks.</li></ul> 2. Payments <p>{para}</p>"
        f"3. Disputes <p>{para}</p>4.\nGeneral\n(a)\nGoverning\nLaw <p>{para}</p></div></body></html>"
    )
    text = html_text(page.encode(), "widget.html").text
    lines = ("Terms of Use", "Please read these terms carefully.", "1. Accounts", "2. Payments", "3. Disputes")
    for line in (*lines, "4. General", "(a) Governing Law"):  # titles the page's source broke into lines
        assert f"\n{line}\n" in f"\n{text}", line
    assert text.count(para.strip()) == 4
    clauses = parse_clauses("w", text)
    assert [c.label for c in clauses if c.label and c.parent_id is None] == ["1", "2", "3", "4"]
    law = next(c for c in clauses if c.heading == "Governing Law")
    assert law.path == ("4 General",)


def test_a_list_left_unclosed_ends_where_its_items_do() -> None:
    # A captured policy whose table of contents never closes its <ul>: the sections after it, bare titles
    # over paragraphs and lists, were read inside the list, every list item of the page first.
    para = "We may update this policy and will tell you by email before the changes apply to you. " * 2
    page = (
        "<html><head><title>Quillfern Privacy Policy</title></head><body><div>"
        "<p>Please read this policy carefully.</p> Table of Contents <ul><li> Changes </li><li> Sharing </li>"
        f"\nChanges\n<p>{para}</p>\nSharing\n<p>We share information with these partners:</p>"
        "<ul><li>Payment processors, who charge your card;</li><li>Hosting providers, who store it.</li></ul>"
        "<p>Each partner may use the information only to provide its service to us.</p></ul></div></body></html>"
    )
    text = html_text(page.encode(), "quillfern.html").text
    body = text.index("Sharing") + len("Sharing")  # after the table of contents
    order = ("\nChanges\n", para.strip(), "\nSharing\n", "Payment processors", "Each partner may use")
    at = [text.index(s, body) for s in order]
    assert at == sorted(at), "the page's text in the page's order"
    clauses = parse_clauses("q", text)
    sharing = next(c for c in clauses if c.heading == "Sharing" and "partners" in text[c.start : c.end])
    assert "Payment processors" in text[sharing.start : sharing.end]


def test_words_after_a_list_nested_in_an_item_stay_after_it() -> None:
    # A returns policy whose numbered sections are list items, each holding a list of its own and then
    # more paragraphs: the words after the nested list were read before it, the list's items moved to
    # the end of the section.
    page = (
        "<html><head><title>Parcelwise Returns</title></head><body><article><ol>"
        "<li>RETURNS You may return an item in these cases:<ol><li>It arrived broken.</li>"
        "<li>It is not what you ordered.</li></ol> Ask for a return within ten days of delivery. "
        "We pay for the postage back.</li><li>REFUNDS A refund reaches your card within a week.</li>"
        "</ol></article></body></html>"
    )
    text = html_text(page.encode(), "parcelwise.html").text
    order = ("in these cases:", "It arrived broken.", "It is not what you ordered.", "Ask for a return", "REFUNDS")
    at = [text.index(s) for s in order]
    assert at == sorted(at), text
    assert "\nAsk for a return within ten days of delivery. We pay for the postage back.\n" in text


# Terms as platforms publish them in Markdown: underlined, bold, numbered headings with escaped dots,
# links in the text, a numbered list inside a section, a summary line under each section.
PLATFORM_MD = """Terms of Service
================

Welcome to [Streamly](https://streamly.example/)!  
  
By using Streamly you agree to these terms.

**1\\. Your account**
---------------------

You must be 13 or older to use the [Service](https://streamly.example/service).

More simply put

You need to be old enough to have an account.

**2\\. What you may not do**
----------------------------

### 2.1 Content rules

1.  You may not post anything unlawful.
2.  You may not post spam.

### 2.2 Ending your account

We may terminate your account if you break these rules, after telling you **why**.

**3\\. Disputes**
----------------

Disputes go to the courts of Dublin.

**4\. Paid plans**
------------------

**Cooling off period.** You may cancel a paid plan within 14 days for a full refund.

**Note:** prices include VAT.
"""


def test_a_markdown_file_reads_as_its_sections_without_markup(engine: Clausewise) -> None:
    engine.ingest_upload(PLATFORM_MD.encode(), "streamly-terms.md")
    doc = next(iter(engine.snapshot().docs.values()))
    assert "[Service]" not in doc.text and "**" not in doc.text and "\\." not in doc.text and "---" not in doc.text
    assert doc.meta.title == "Streamly Terms of Service"
    found = engine.lookup("section 2.2 of the Streamly terms")
    assert found is not None and found.citations[0].label == "2.2"
    quote = found.citations[0].quote
    assert "We may terminate your account if you break these rules, after telling you why." in quote
    c = found.citations[0]
    assert doc.text[c.start : c.end] == quote
    # The numbered list and the summary line stay inside their sections: section 3 is still found.
    by_id = {cl.clause_id.split("#")[1]: cl for cl in doc.clauses.values()}
    assert {"1", "2", "2.1", "2.2", "3"} <= set(by_id)
    assert by_id["2.2"].parent_id == by_id["2"].clause_id and by_id["1"].parent_id is None
    assert by_id["3"].parent_id is None and by_id["3"].heading == "Disputes"
    spam = next(cl for cl in doc.clauses.values() if doc.text[cl.start :].startswith("2. You may not post spam"))
    assert spam.parent_id == by_id["2.1"].clause_id
    # A paragraph that opens with its title in bold is a section of its own under that title; a label is not.
    cooling = next(cl for cl in doc.clauses.values() if cl.heading == "Cooling off period.")
    assert cooling.parent_id == by_id["4"].clause_id and "\nNote: prices include VAT.\n" in doc.text
    a = engine.ask("Within how many days can a paid plan be cancelled?", ["streamly-terms.md"])
    assert a.citations[0].path[-1] == "Cooling off period"


def test_markdown_fetched_as_plain_text_is_read_as_markdown(engine: Clausewise, site: str) -> None:
    status, doc = engine.ingest_url(f"{site}/raw/streamly-terms.md")
    text = engine.snapshot().docs[doc.doc_id].text
    assert status == "added" and "**" not in text and "## 1. Your account" in text


def test_markdown_front_matter_titles_the_document_and_is_not_its_text() -> None:
    raw = b'---\ntitle: "Orbit Privacy Notice"\nlayout: page\n---\n\nWe collect your email address.\n\nWe never sell it.\n'
    doc = parse_bytes(raw, "privacy.md")
    assert doc.title == "Orbit Privacy Notice"
    assert doc.text.startswith("We collect your email address.") and "layout" not in doc.text


def test_a_pages_main_heading_titles_it_though_its_header_comes_first() -> None:
    # As Strava's pages open: the logo's link, then a menu, then the page's one main heading. Both its
    # documents were titled "Strava", and the sidebar, the citations and "no such clause in" read alike.
    header = b"[Orbit](https://orbit.example/)\n\n* [Features](https://orbit.example/f)\n* [Log In](https://orbit.example/l)\n\n"
    page = (
        b"Orbit Terms of Service\n======================\n\n## 1. Payments\n\n1. **Refunds.**\n   We refund nothing.\n"
    )
    doc = parse_bytes(header + page, "orbit-terms.md")
    assert doc.title == "Orbit Terms of Service"
    # A numbered item titled in bold ("Refunds") is no title of the file; nor are main headings that
    # each open a section.
    sections = b"Orbit\n\n# 1. Payments\n\nWe refund nothing.\n\n# 2. Accounts\n\nWe may close accounts.\n"
    assert parse_bytes(sections, "orbit-terms.md").title == "Orbit"
    assert parse_bytes(b"Orbit terms\n\n" + page.split(b"\n\n", 1)[1], "orbit.md").title == "Orbit terms"


def test_a_markdown_table_cell_breaks_its_lines_where_its_html_does() -> None:
    # A table cell writes its line breaks as <br> and keeps a page's heading as "###" (Allrecipes' privacy
    # highlights): the words ran together ("Children's Privacy### Child Icon", "age of 16.MORE").
    raw = (
        b"| | |\n| --- | --- |\n"
        b"| **Children's Privacy**<br><br>### ![Child Icon](c.png) | We collect nothing from children.<br/>[MORE](#s6) |\n"
    )
    doc = parse_bytes(raw, "orbit-privacy.md")
    assert doc.text.strip() == "Children's Privacy Child Icon | We collect nothing from children. MORE"


def test_a_pages_menus_and_footer_links_are_no_clauses_of_it() -> None:
    # As Strava's pages are archived: a logo's link and menus above the main heading, columns of links
    # after the copyright line. Each entry was a clause ("Student Discount" cited for a veteran's discount).
    raw = (
        b"[Orbit](https://orbit.example/)\n\n[Menu](#nav)\n\n[help@orbit.example](mailto:help@orbit.example)\n\n* [Features](https://orbit.example/f)\n"
        b"* [Sign Up](https://orbit.example/s)\n\n* [Terms of Service](/terms)\n* [Privacy Policy](/privacy)\n\n"
        b"Orbit Terms of Service\n======================\n\n## Fees\n\nWe may raise our prices on 30 days' notice.\n\n"
        b"## Games\n\nThe rules of each game are set out at the following links:\n\n"
        b"* [Orbit Racer](https://orbit.example/racer)\n* [Orbit Chess](https://orbit.example/chess)\n\n"
        b"## Copyright Policy\n\nWe remove content that infringes copyright.\n\n"
        b"(c) You may not resell the Service.\n\n"
        # Columns of links before the copyright line, as Hulu's footer comes.
        b"Useful links\n\n* [Gift cards](/g)\n\n"
        b'### BROWSE\n\n### BROWSE\n\n[Movies](/m "Movies")[Kids](/k)\n\n### HELP\n\n[Billing](/b)\n\n'
        b"\xc2\xa9 2024 Orbit\n\n#### Follow\n\n* [Facebook](https://facebook.com/orbit)\n* [Careers](/jobs)\n\n"
        b"#### [Student Discount](/student)\n\n[Privacy](/privacy) | [Terms](/terms)\n\n\xc2\xa9 2024 Orbit\n"
    )
    doc = parse_bytes(raw, "orbit-terms.md")
    furniture = (
        "Menu",
        "Features",
        "Sign Up",
        "Facebook",
        "Follow",
        "Student Discount",
        "Privacy | Terms",
        "BROWSE",
        "Kids",
    )
    for words in furniture:
        assert words not in doc.text
    # Links the text lists stay, as does an item "(c)"; the copyright line, which ran into the last
    # section's quotes, goes, and so do a column's label and links before it, but a link to write to
    # the company ("mailto:") is no menu's.
    assert "• Orbit Racer\n\n• Orbit Chess" in doc.text and "(c) You may not resell" in doc.text
    assert "©" not in doc.text and "Useful links" not in doc.text and "Gift cards" not in doc.text
    assert doc.text.startswith("help@orbit.example\n\n# Orbit Terms of Service\n")
    assert doc.text.rstrip().endswith("(c) You may not resell the Service.")
    # A page without one main heading keeps all its lines.
    untitled = parse_bytes(raw.replace(b"======================", b""), "orbit-terms.md")
    assert "Student Discount" in untitled.text and "Features" in untitled.text


def test_a_link_back_to_the_top_of_the_page_is_no_text_of_the_section_it_ends() -> None:
    # As the BBC ends each section of its privacy policy, and Facebook's terms each of theirs ("Return to
    # top" became a heading, a clause of its own): quotes of the section took the link's words in.
    markdown = parse_bytes(
        b'# Orbit Privacy\n\n## 1. Cookies\n\nWe use cookies to keep you signed in.\n\n[Back to top](#top "Back to top")\n\n'
        b"## 2. Sharing\n\nWe never sell your data. [Read about cookies](#cookies).\n\n[Return to top](#)\n\n"
        b"[\xe2\x86\x91 Back to top](#view)\n\n"  # "↑ Back to top", as Strava writes it
        b"[Top](https://orbit.example/top)\n",
        "orbit-privacy.md",
    )
    assert "Back to top" not in markdown.text and "Return to top" not in markdown.text
    assert "We never sell your data. Read about cookies." in markdown.text  # a link within a sentence stays
    assert "\n\nTop\n" in markdown.text  # ...and so does one that leaves the page
    assert [c.heading for c in parse_clauses(markdown.doc_id, markdown.text) if c.label] == ["Cookies", "Sharing"]
    # A page copied into a text file keeps its links' words: "Back to top" read as a title took in the
    # next section ("How we share it" became its paragraph), and a lower-case title after it was not seen.
    copied = parse_bytes(
        b"Orbit Privacy Policy\n\nWhat we collect\n\nWe collect your name and the pages you visit on our site.\n\n"
        b"\xe2\x86\x91 Back to top\n\nHow we share it\n\nWe share your information with payment processors only.\n\n"
        b"[Return to top]\n\nYour Rights\n\nYou may ask us to delete your information at any time.\n",
        "orbit-privacy.txt",
    )
    clauses = parse_clauses(copied.doc_id, copied.text)
    assert [c.heading for c in clauses if c.heading][1:] == ["What we collect", "How we share it", "Your Rights"]
    sharing = next(c for c in clauses if c.heading == "How we share it")
    assert "payment processors" in copied.text[sharing.start : sharing.end]


def test_lettered_items_titled_in_bold_are_lettered_clauses_of_their_section(tmp_path: Path) -> None:
    # As Hulu's subscriber agreement is archived: each lettered item titled in bold, one with its text run
    # on without a space ("**b. Registration and Access.**Only…"). Item b was text of item a, and
    # "section 2(e)" showed the whole of section 2.
    raw = (
        b"Orbit Subscriber Agreement\n==========================\n\n## 1. ELIGIBILITY\n\n"
        b"**a. Age.** You must be 18 years of age to use Orbit.\n\n"
        b"**b. Registration and Access.**Only registered members may stream Orbit programmes.\n\n"
        b"## 2. SUBSCRIPTION TERMS\n\n**a. Billing.** We bill you monthly in advance.\n\n"
        b"**b. Gift Cards.** Gift cards never expire.\n\n**c. Cancellation and Refund Policy.** You can cancel at "
        b"any time; we do not refund partial months.\n"
    )
    doc = parse_bytes(raw, "orbit-terms.md")
    assert "Registration and Access.\n\nOnly registered members" in doc.text
    by_id = {c.clause_id.split("#")[1]: c for c in parse_clauses(doc.doc_id, doc.text)}
    assert {"1.a", "1.b", "2.a", "2.b", "2.c"} <= set(by_id)
    assert by_id["1.b"].heading == "Registration and Access."
    assert doc.text[by_id["1.b"].start : by_id["1.b"].end].rstrip().endswith("stream Orbit programmes.")
    cw = engine_over(tmp_path, {"orbit-terms.md": raw.decode()})
    a = cw.ask("What does section 2(c) of the Orbit agreement say?")
    assert [c.clause_id.split("#")[1] for c in a.citations] == ["2.c"]


def test_numbered_clauses_written_in_bold_table_cells_or_bold_alone_keep_their_numbers_and_places() -> None:
    # As NextRoll's and Amazon Music's terms are published: a section's title in a table cell beside its
    # link back up, a clause's number and title bold alone on a line over its items, a number alone in
    # bold, a lettered item opening in bold. "section 5.4" and "section 10.2" were not found, "5" was an
    # item of 4.3, and "(a)" ended section 1, so 1.3 stood outside it.
    raw = (
        b"Orbit Terms\n===========\n\n| | |\n| --- | --- |\n| ### 1\\. THE SERVICE | [Back to top](#index) |\n\n"
        b"**1.1 Plans.** We offer paid plans for the service, billed every month in advance.\n\n"
        b"**(a) Family Plans; Fees**. A family plan may be shared with up to five members of a household.\n\n"
        b"**1.2 Accounts.**\n\n1.  Set-Up. You keep the account information accurate and complete.\n\n"
        b"2.  Passwords. Passwords may not be shared with any other person.\n\n"
        b"**1.3** ORBIT WILL HAVE NO LIABILITY FOR PLANS SHARED OUTSIDE A HOUSEHOLD.\n\n"
        b"| | |\n| --- | --- |\n| ### 2\\. PAYMENT | [Back to top](#index) |\n\n"
        b"**2.1 Fees.** You pay the fees shown when you subscribe, without set-off.\n"
    )
    doc = parse_bytes(raw, "orbit-terms.md")
    assert "Back to top" not in doc.text
    clauses = {c.clause_id.split("#")[1]: c for c in parse_clauses(doc.doc_id, doc.text)}
    assert {"1", "1.1", "1.1.a", "1.2", "1.2.1", "1.2.2", "1.3", "2", "2.1"} <= set(clauses)
    assert clauses["1"].heading == "THE SERVICE" and clauses["2"].heading == "PAYMENT"
    assert clauses["1.3"].path[0].startswith("1 ")  # under section 1, not ended by "(a)"
    assert "ORBIT WILL HAVE NO LIABILITY" in doc.text[clauses["1.3"].start : clauses["1.3"].end]
    assert "Passwords may not be shared" in doc.text[clauses["1.2"].start : clauses["1.2"].end]


def test_a_bold_first_line_titles_its_paragraph_however_the_bold_is_written() -> None:
    # As YouTube's terms write their titles: bold in pieces, or bold that a line break leaves unclosed.
    raw = (
        b"# About these terms\n\n**Changing** **these Terms**  \nWe may change these terms with notice.\n\n"
        b"**No** **Waiver  \n**Not acting at once does not give up a right.\n\n"
        b"**Governing Law  \n**Ontario law applies to every claim.\n\n"
        b"We may **also** end the service.\n\n"
        b"**(b)**Refunds are made within 14 days of a written request.  \nWrite to us at the address above.\n"
    )
    doc = parse_bytes(raw, "orbit-terms.md")
    assert "**" not in doc.text
    titled = {c.heading: doc.text[c.start : c.end] for c in parse_clauses(doc.doc_id, doc.text) if c.heading}
    assert "Ontario law applies to every claim." in titled["Governing Law"]
    assert "We may change these terms with notice." in titled["Changing these Terms"]
    assert "Not acting at once" in titled["No Waiver"] and "Ontario" not in titled["No Waiver"]
    assert "\nWe may also end the service." in doc.text  # bold inside a sentence titles nothing
    # ...nor does a sentence whose label CommonMark could not close ("**(b)**Refunds…"); the page's break
    # after it stays.
    assert "\n(b)Refunds are made within 14 days of a written request.\nWrite to us" in doc.text
    assert not any(h.startswith("(b)") for h in titled)


def test_bold_words_that_go_on_with_their_sentence_are_no_title() -> None:
    # As AdSupply's terms name the company and define their terms: made titles, "**AdSupply Inc.**, with
    # registered address at…" was quoted from ", with", and the definitions were each a section.
    raw = (
        b"# Terms\n\n**Orbit Inc.**, with registered address at 1 Main Street, operates the network.\n\n"
        b"**DEFINITIONS**\n\n**\xe2\x80\x9cPersonal Data\xe2\x80\x9d** means any information about a person.\n\n"
        b"**Invoicing**. Invoices are issued monthly.\n"
    )
    doc, clauses = _read(raw, "orbit-network.md")
    assert "\nOrbit Inc., with registered address at 1 Main Street" in doc.text
    assert "\n\u201cPersonal Data\u201d means any information" in doc.text
    headings = [c.heading for c in clauses]
    assert "Invoicing" in headings and "Orbit Inc." not in headings


def test_a_section_numbered_one_over_clauses_numbered_two_is_section_two() -> None:
    # As Alibaba's terms read in Markdown: every section a list of one item, so each is "1.". Read as 1,
    # the sections after the first were sub-clauses of 1.2, and "3.1" could not be looked up.
    raw = (
        b"# Terms of Use\n\n1.  **Acceptance**\n\n1.1 Using the site means you accept these terms.\n\n"
        b"1.2 We may amend these terms by posting them.\n\n1.  **Services**\n\n2.1 We may stop any service.\n\n"
        b"2.2 Some services are run by our affiliates.\n\n1.  **Accounts**\n\n3.1 You must keep your password safe.\n"
    )
    doc, got = _numbered(raw, "orbit-terms.md")
    assert list(got) == ["1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1"]
    assert got["3"].heading == "Accounts" and got["3.1"].path == ("3 Accounts",)
    assert doc.text[got["3.1"].start : got["3.1"].end].strip() == "3.1 You must keep your password safe."


def test_a_markdown_heading_that_announces_what_follows_is_named_without_its_colon() -> None:
    # Named with it, an answer cited "…, You may control your information in the following ways::".
    raw = (
        b"# Privacy Policy\n\n#### You may control your information in the following ways:\n\n"
        b"* Access: write to us to see the personal information we hold about you.\n"
        b"* Marketing: follow the link at the foot of any of our e-mails to stop them.\n"
    )
    _, clauses = _read(raw, "orbit-privacy.md")
    assert [c.heading for c in clauses if c.heading.startswith("You may")] == [
        "You may control your information in the following ways"
    ]
    assert clauses[-1].path[-1] == "You may control your information in the following ways"


def test_numbered_lines_after_a_numbered_heading_go_on_from_its_number() -> None:
    # As Airbnb's terms for business users: "**25\\. Business Users**." became a heading, and
    # "**26\\. Termination, Suspension and other Measures.**", a line of text, was text of 25.
    raw = (
        b"# Terms\n\nAdditional Terms\n----------------\n\n**25\\. Business Users**.\n\n"
        b"You are a Business User if you act for your trade or business.\n\n"
        b"**26\\. Termination, Suspension and other Measures.**\n\n"
        b"If we suspend you, you may clarify the facts within fourteen days.\n\n"
        b"**27\\. Complaints Handling.**\n\nWrite to our complaints team for any complaint.\n"
    )
    doc, got = _numbered(raw, "kestrel-business.md")
    assert list(got) == ["25", "26", "27"]
    assert got["26"].path == got["25"].path == ("Additional Terms",)
    assert doc.text[got["26"].start : got["26"].end].rstrip().endswith("within fourteen days.")


def _read(raw: bytes, name: str) -> tuple[SourceDoc, list[Clause]]:
    """A file as the loader reads it, and its clauses."""
    doc = parse_bytes(raw, name)
    return doc, parse_clauses(doc.doc_id, doc.text)


def _numbered(raw: bytes, name: str) -> tuple[SourceDoc, dict[str, Clause]]:
    """A Markdown file as the loader reads it, and its numbered clauses by label."""
    doc, clauses = _read(raw, name)
    return doc, {c.label: c for c in clauses if c.label}


def test_a_markdown_heading_numbered_without_a_stop_is_that_clause_and_its_listing_is_text() -> None:
    # As Academia.edu's privacy policy: a listing of "13. Contact Us" links above "# 13 Contact Us".
    raw = (
        b"[1\\. Scope](#scope)\n\n[2\\. Sharing](#sharing)\n\n[3\\. Contact Us](#contact-us)\n\n"
        b"1 Scope\n=======\n\nThis policy covers the Orbit app.\n\n"
        b"2 Sharing\n=========\n\nWe share data with our payment processor.\n\n"
        b"3 Contact Us\n============\n\nWrite to privacy@orbit.example with any question.\n"
    )
    doc, got = _numbered(raw, "orbit-privacy.md")
    assert list(got) == ["1", "2", "3"] and got["3"].heading == "Contact Us"
    assert doc.text[got["3"].start : got["3"].end].rstrip().endswith("privacy@orbit.example with any question.")
    clauses = parse_clauses(doc.doc_id, doc.text)
    assert [c.clause_id.split("#")[1] for c in clauses] == ["preamble", "1", "2", "3"]  # the listing is text


def test_a_stop_after_a_bold_title_is_not_where_its_text_begins() -> None:
    # As Airbnb's terms write every clause: the title's full stop stands outside the bold.
    raw = (
        b"# Kestrel Terms\n\n**13.1 Term**. This agreement lasts until either of us ends it.\n\n"
        b"**13.2 Ending it**: Either of us may end this agreement with 30 days' notice.\n\n"
        b"**14\\. Governing law**.\n\nIrish law governs these terms.\n"
    )
    doc, got = _numbered(raw, "kestrel-terms.md")
    assert got["13.1"].heading == "Term" and got["13.2"].heading == "Ending it"
    assert got["14"].heading == "Governing law"  # the stop alone after the bold: a title over what follows
    own = {label: doc.text[c.start : c.body_end].split("\n\n", 1)[1].strip() for label, c in got.items()}
    assert own["13.1"] == "This agreement lasts until either of us ends it."
    assert own["13.2"].startswith("Either of us may end")
    assert own["14"] == "Irish law governs these terms."


def test_a_bold_numbered_title_holds_the_numbered_headings_under_it() -> None:
    # As Zoom's terms and Airbnb's privacy policy are written: "**10\\. DATA USAGE…**" over
    # "**10.1 Customer Content**.", which the loader makes headings. Placed by heading level, 10.1 closed
    # section 10, so "section 10" showed its title alone, and "3." went under the heading "2.2".
    raw = (
        b"# Orbit Privacy Policy\n\nThis policy covers Orbit.\n\n# Business Customers\n\n"
        b"Your employer controls what it gives us.\n\n**1\\. DEFINITIONS**\n\nWords keep our terms' meaning.\n\n"
        b"**2\\. DATA WE COLLECT**\n\n**2.1 Account data**. We collect your email address.\n\n"
        b"**2.2 Usage data**. We log the pages you visit.\n\n"
        b"**3\\. HOW WE USE DATA**\n\nWe use data to run the service.\n\n**3.1 Security**. We use logs to stop fraud.\n"
    )
    doc, got = _numbered(raw, "orbit-privacy.md")
    section = {label: doc.text[c.start : c.end] for label, c in got.items()}
    assert "We collect your email address." in section["2"] and "We log the pages you visit." in section["2"]
    assert "HOW WE USE DATA" not in section["2.2"]
    assert got["2.1"].parent_id == got["2"].clause_id and got["3.1"].parent_id == got["3"].clause_id
    assert got["3"].parent_id == got["2"].parent_id


def test_a_numbered_item_titled_in_bold_over_a_line_break_keeps_its_first_sub_clause() -> None:
    # As Netflix's terms are written: the item's title, bold left unclosed over two line breaks, then the
    # first sub-clause in the same paragraph. Read as one line, the title was "Free Trials 2.1".
    raw = (
        b"1.  **Membership**\n\n    1.1. Your membership goes on until you end it.\n\n"
        b"2.  **Free Trials  \n    **  \n    2.1. A membership may start with a free month of service.\n\n"
        b"    2.2. We decide who may have a free month.\n"
    )
    doc, got = _numbered(raw, "reelbox-terms.md")
    assert got["2"].heading == "Free Trials"
    assert (
        doc.text[got["2.1"].start : got["2.1"].end].strip()
        == "2.1. A membership may start with a free month of service."
    )
    assert got["2.1"].parent_id == got["2"].clause_id and got["2.2"].parent_id == got["2"].clause_id


def test_script_and_style_a_page_left_in_its_markdown_are_not_text() -> None:
    # Terms saved from a web page as Markdown can keep the page's script and style as paragraphs: they were
    # split into units and offered as related reading ("/*<![CDATA[*/ window.app = {…").
    raw = (
        b"# Reelbox Terms\n\n1. You may end your membership at any time from the Account page.\n\n"
        b'/*<![CDATA[*/ window.app = { "locale": "en", "countries": [{"value":"AW","label":"Aruba"}] };\n\n'
        b".notice { border: 1px solid #E6DB55; padding: 0.25em; }\n\n"
        b"This agreement is between {Company} and you, and {Company} may update it.\n"
    )
    doc = parse_bytes(raw, "reelbox-terms.md")
    assert "window.app" not in doc.text and "border" not in doc.text
    assert "You may end your membership at any time" in doc.text
    assert "between {Company} and you" in doc.text  # a template's placeholder is no code


def test_a_nested_markdown_item_is_the_sub_item_of_the_one_above() -> None:
    raw = b"# Retention\n\nWe keep your data:\n\n- where we must keep it to:\n  - investigate abuse\n  - comply with the law\n- where backups hold it\n"
    doc = parse_bytes(raw, "retention.md")
    at = {doc.text[c.start : c.body_end].strip(" \u2022\n:"): c for c in parse_clauses(doc.doc_id, doc.text)}
    assert at["investigate abuse"].parent_id == at["where we must keep it to"].clause_id
    assert at["where backups hold it"].parent_id == at["where we must keep it to"].parent_id


def test_sub_items_indented_as_code_under_a_two_digit_item_are_its_sub_items() -> None:
    # Terms converted from web pages indent sub-items four spaces, which under "10.  " (five wide) CommonMark
    # reads as code: they came out raw ("1.  **Term.** This…"), at the top level, beside items 1 and 2.
    raw = (
        "1.  **Accounts.** You must keep your password secret and tell us of any misuse at once.\n\n"
        + "".join(
            f"{n}.  **Rule {n}.** This rule number {n} applies to every player of every game.\n\n" for n in range(2, 10)
        )
        + "10.  **Term and Termination.**\n\n"
        "    1.  **Term.** This Agreement is effective upon your creation of an account on the platform.\n\n"
        "    2.  **Termination**\n\n"
        "        1.  You are entitled to terminate this Agreement at any time by notifying us by email.\n\n"
        "11.  **Governing Law.** The laws of the State of Delaware govern this Agreement in every respect.\n"
    ).encode()
    doc = parse_bytes(raw, "quarry-eula.md")
    assert "**" not in doc.text and "  1. Term. This Agreement" in doc.text
    got = {c.clause_id.split("#", 1)[1]: c for c in parse_clauses(doc.doc_id, doc.text)}
    assert got["10.1"].heading == "Term" and got["10.2"].heading == "Termination"
    assert doc.text[got["10.2.1"].start :].lstrip().startswith("1. You are entitled")
    assert got["11"].heading == "Governing Law"


def test_a_date_in_bold_over_the_terms_is_no_title_of_their_sections() -> None:
    # As Yelp's terms open: "**Last Updated on June 30, 2022**. These Terms…" was made a title, every
    # numbered section went under it, and each citation's path began with the date.
    raw = (
        b"Terms of Service\n================\n\n**Last Updated on June 30, 2022**. These Terms govern your use of Wren.\n\n"
        b"1. **CHANGES TO THE TERMS**\n\n    We may modify the Terms from time to time.\n\n"
        b"2. **TERMINATION**\n\n    We may close your Account at any time.\n"
    )
    doc, got = _numbered(raw, "wren-terms.md")
    assert list(got) == ["1", "2"]
    assert got["1"].parent_id is None and got["2"].path == ()
    assert "Last Updated on June 30, 2022. These Terms govern your use of Wren." in doc.text


def test_a_second_paragraph_of_a_markdown_item_stays_in_it_and_the_list_goes_on() -> None:
    # As Yelp's "4.4 Accounts": a paragraph indented under the item was read as section 4's, which ended
    # the item's list, so "5." after it became a section of its own and "section 4.5" was not found.
    raw = (
        b"4. **USING THE SERVICE**\n"
        b"    1. **Eligibility.** You must have the power to enter into these Terms.\n"
        b"    2. **Accounts.** You must create an Account to use some features.\n"
        b"        \n"
        b"        Your Account is for your personal, non-commercial use only.\n"
        b"        \n"
        b"    3. **Communications.** You consent to receive messages from us.\n"
        b"5. **CONTENT**\n"
        b"    1. **Your Content.** You alone are responsible for Your Content.\n"
    )
    doc, clauses = _read(raw, "wren-terms.md")
    got = {c.clause_id.split("#", 1)[1]: c for c in clauses}
    assert [k for k in got if k[0].isdigit()] == ["4", "4.1", "4.2", "4.3", "5", "5.1"]
    assert doc.text[got["4.2"].start : got["4.2"].end].rstrip().endswith("personal, non-commercial use only.")
    assert got["4.3"].parent_id == got["4"].clause_id


def test_a_heading_numbered_on_from_the_one_above_it_is_its_sibling_whatever_its_level() -> None:
    # As Instacart's privacy policy: "### XI. Contact Information" a level below "## X. …" was part of X.
    raw = (
        b"# Privacy Policy\n\n## IX. Nevada Residents\n\nYou may ask us to add you to our opt-out list.\n\n"
        b"## X. Canada Residents\n\nYour file is kept on our servers in the United States.\n\n"
        b"### XI. Contact Information\n\nWrite to privacy@wren.example with any question.\n"
    )
    doc, got = _numbered(raw, "wren-privacy.md")
    assert list(got) == ["IX", "X", "XI"]
    assert got["XI"].parent_id == got["X"].parent_id
    assert "privacy@wren.example" not in doc.text[got["X"].start : got["X"].end]


def test_a_heading_that_only_dates_the_page_is_no_section() -> None:
    # As Instacart's privacy policy: "Last Updated: June 14, 2021" underlined as a heading stood first in
    # the document's outline, a section holding nothing.
    raw = (
        b"Privacy Policy\n==============\n\nLast Updated: June 14, 2021\n---------------------------\n\n"
        b"I. Introduction\n---------------\n\nThis policy explains what we collect.\n"
    )
    doc, clauses = _read(raw, "wren-privacy.md")
    assert [c.clause_id.split("#")[1] for c in clauses] == ["preamble", "I"]
    assert "Last Updated: June 14, 2021" in doc.text[clauses[0].start : clauses[0].end]


def test_a_markdown_line_break_keeps_the_lines_a_page_shows() -> None:
    # As GM's privacy statement: "Changes To This Privacy Statement  ⏎We may update…" and a list of
    # telephone numbers, each line ended by two spaces, read as one line: the title was found nowhere and
    # the numbers ran together. Within a list item the lines stay one (the item's own text).
    raw = (
        b"# Privacy Statement\n\n## How To Contact Us\n\nWrite to us at the address below.\n\n"
        b"Buick:  1-800-521-7300  \nCadillac:  1-800-458-8006\n\n"
        b"Changes To This Privacy Statement  \nWe may update this Privacy Statement from time to time, and we will "
        b"post the changes here.\n\n"
        b"* **Research.**  \n  We use what you tell us to improve our products.\n"
    )
    doc, clauses = _read(raw, "gm-privacy.md")
    assert "\nBuick: 1-800-521-7300\nCadillac: 1-800-458-8006\n" in doc.text
    titled = {c.heading: c for c in clauses}
    assert "We may update" in doc.text[titled["Changes To This Privacy Statement"].start :]
    assert "• Research. We use what you tell us" in doc.text
