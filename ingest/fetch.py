"""Documents by URL: fetched with httpx, checked before and after every redirect, sniffed, size-capped.

An address that resolves to a loopback, private or otherwise internal range is refused (so the API
cannot be made to read internal services), unless the operator allows it with
CLAUSEWISE_ALLOW_PRIVATE_URLS=1; link-local addresses (cloud metadata services) are refused always.
Each redirect target is checked again.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.errors import LoadError
from ingest.load import MAX_BYTES, parse_bytes
from ingest.types import SourceDoc

TIMEOUT_S = 20.0  # for each step: connecting, and each read
TOTAL_S = 120.0  # for the whole body: a server trickling bytes does not hold a worker forever
MAX_REDIRECTS = 5
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
USER_AGENT = "Clausewise/1.0 (reads terms of service and privacy policies for a user)"


def is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def fetch_document(url: str, allow_private: bool = False) -> SourceDoc:
    """The document at url, its identity the URL. Raises LoadError with one line a person can act on."""
    raw, kind = fetch(url, allow_private)
    return parse_bytes(raw, url, name_as=f"{_name_of(url)}{kind}", source_url=url, fetched_at=time.time())


def fetch(url: str, allow_private: bool = False) -> tuple[bytes, str]:
    """(body, the file type it holds: ".html", ".pdf", ".docx", ".md" or ".txt")."""
    deadline = time.monotonic() + TOTAL_S
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}  # no compressed body to blow up
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, headers=headers) as client:
            for _ in range(MAX_REDIRECTS + 1):
                _check_address(url, allow_private)
                with client.stream("GET", url) as r:
                    # The address actually connected to is checked too: a name may resolve differently
                    # the second time (DNS rebinding).
                    _check_ip(_peer(r), url, allow_private)
                    if r.is_redirect:
                        url = urljoin(url, r.headers.get("location", ""))
                        continue
                    if r.status_code >= 400:
                        raise LoadError(f"{url}: the server answered {r.status_code} {r.reason_phrase}")
                    if r.headers.get("content-encoding", "identity").lower() not in ("identity", ""):
                        raise LoadError(f"{url}: the server sent a compressed body although asked not to")
                    declared = int(r.headers.get("content-length") or 0)
                    if declared > MAX_BYTES:
                        raise LoadError(f"{url}: too large ({declared / 1024 / 1024:.0f} MiB; the limit is 20 MiB)")
                    body = bytearray()
                    for part in r.iter_raw():
                        body += part
                        if len(body) > MAX_BYTES:
                            raise LoadError(f"{url}: too large (over 20 MiB)")
                        if time.monotonic() > deadline:
                            raise LoadError(f"{url}: still arriving after {TOTAL_S:.0f} s; try again later")
                    return bytes(body), _kind(bytes(body[:2048]), r.headers.get("content-type", ""), url)
            raise LoadError(f"{url}: more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise LoadError(f"{url}: no answer within {TIMEOUT_S:.0f} s; try again later") from None
    except httpx.HTTPError as e:
        raise LoadError(f"{url}: could not be fetched ({type(e).__name__}: {e})") from None


def _peer(r: httpx.Response) -> str | None:
    stream = r.extensions.get("network_stream")
    addr = stream.get_extra_info("server_addr") if stream is not None else None
    return str(addr[0]) if addr else None


def _check_address(url: str, allow_private: bool) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise LoadError(f"{url}: not a valid address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"{url}: only http:// and https:// addresses can be fetched")
    try:
        infos = _resolve(parts.hostname, port)
    except (socket.gaierror, UnicodeError):
        raise LoadError(f"{url}: the host {parts.hostname} is not known (check the address)") from None
    for info in infos:
        _check_ip(str(info[4][0]), url, allow_private)


def _resolve(host: str, port: int) -> list:
    return socket.getaddrinfo(host, port)


def _check_ip(raw: str | None, url: str, allow_private: bool) -> None:
    if raw is None:
        return
    ip = ipaddress.ip_address(raw.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside IPv6 (::ffff:a.b.c.d, 64:ff9b::/96, 6to4) is judged as that IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        ip = embedded or ip
    host = urlsplit(url).hostname
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        # Cloud metadata services live here (169.254.169.254): never fetched, whatever is allowed.
        raise LoadError(f"{url}: refused, {host} is a link-local or reserved address ({ip})")
    if not ip.is_global and not allow_private:
        raise LoadError(
            f"{url}: refused, {host} is an internal address ({ip}); set CLAUSEWISE_ALLOW_PRIVATE_URLS=1 to allow it"
        )


def _kind(head: bytes, content_type: str, url: str) -> str:
    """What the body is, from its first bytes first and the declared type second."""
    ct = content_type.split(";")[0].strip().lower()
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04") and ("word" in ct or url.lower().endswith(".docx")):
        return ".docx"
    sniff = head.lstrip()[:200].lower()
    if ct in ("text/html", "application/xhtml+xml") or sniff.startswith((b"<!doctype html", b"<html")):
        return ".html"
    # Markdown is served as text/markdown, or as plain text from a file named so (raw GitHub files).
    if ct == "text/markdown" or (ct.startswith("text/") and urlsplit(url).path.lower().endswith((".md", ".markdown"))):
        return ".md"
    if ct.startswith("text/"):
        return ".txt"
    raise LoadError(f"{url}: the page is {ct or 'of no declared type'}; Clausewise reads web pages, PDF, DOCX and text")


def _name_of(url: str) -> str:
    """A file-like name to title the document by: "kickstarter-terms-of-use" for
    https://www.kickstarter.com/terms-of-use (the site's name, then the page's)."""
    parts = urlsplit(url)
    labels = [x for x in (parts.hostname or "").split(".") if x not in ("www", "m", "legal")]
    site = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "page")
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    for ext in (".html", ".htm", ".pdf", ".docx", ".txt", ".md", ".markdown", ".php", ".aspx"):
        last = last.removesuffix(ext)
    return f"{site}-{last}" if last else site
