"""Loading files: exact text, BOM handling, and one-line reasons for files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import LoadError
from ingest.load import load_document

from .conftest import CORPUS


def test_bundled_documents_load_byte_exact_with_names_people_use() -> None:
    doc = load_document(CORPUS / "maibang-scrm-user-service-agreement.txt")
    assert doc.text == (CORPUS / "maibang-scrm-user-service-agreement.txt").read_bytes().decode("utf-8")
    assert doc.doc_id == "maibang-scrm-user-service-agreement"
    assert doc.title == "MaiBang SCRM User Service Agreement"
    assert {"MaiBang", "脉邦"} <= set(doc.aliases)
    assert load_document(CORPUS / "smm-privacy-policy.txt").title == "SMM Privacy Policy"


def test_bom_is_dropped_and_crlf_kept(tmp_path: Path) -> None:
    f = tmp_path / "terms.txt"
    f.write_bytes("\ufeff1. Rules\r\n\r\n1.1 Be nice.\r\n".encode())
    doc = load_document(f)
    assert doc.text == "1. Rules\r\n\r\n1.1 Be nice.\r\n"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n\n", "empty file"),
        ("latin1.txt", "Cl\u00e1usula".encode("latin-1"), "not valid UTF-8"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
        ("terms.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_files_get_a_one_line_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(LoadError) as e:
        load_document(f)
    assert reason in str(e.value) and name in str(e.value) and "\n" not in str(e.value)
