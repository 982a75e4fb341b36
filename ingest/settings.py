"""One frozen Settings, read from the environment once at each entry point and passed down.

It lives in ingest/ because ingest/ never imports qa/, and both need it; qa.settings re-exports it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.embed import DEFAULT_MODEL, MODELS
from ingest.errors import ClausewiseError


@dataclass(frozen=True)
class Settings:
    home: Path = Path(".clausewise")
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_auth_token: str | None = None
    embedding: str = DEFAULT_MODEL
    embed_url: str | None = None  # an OpenAI-compatible embeddings server for ingest (same model)
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    chat_model: str = "gpt-4o-mini"
    api_token: str | None = None
    corpus: Path = Path("corpus")  # indexed on first start when the index is empty
    llm_timeout: float = 30.0
    llm_retries: int = 1
    llm_max_tokens: int = 800
    llm_json_schema: bool = True  # ask for JSON-schema output; falls back to plain JSON if refused
    llm_stream: bool = True
    show_unsupported: bool = False  # keep unverifiable sentences, marked, instead of removing them
    rate_limit: float = 120.0  # API requests per minute per client (0.5 = one every two minutes); 0 turns it off
    max_upload_mb: float = 5.0
    allow_private_urls: bool = False  # fetch URLs on loopback/private networks (tests, intranets)
    mirror_chunks: int = 2_000_000  # up to this many chunks, each process holds the vectors in memory

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port = env.get("CHROMA_PORT", "8000").strip()
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ClausewiseError(f"CHROMA_PORT must be a port number (1-65535), got {port!r}")
        embedding = env.get("CLAUSEWISE_EMBEDDING", DEFAULT_MODEL)
        if embedding not in MODELS:
            raise ClausewiseError(f"CLAUSEWISE_EMBEDDING={embedding!r} is unknown; choose from: {', '.join(MODELS)}")
        embed_url = (env.get("CLAUSEWISE_EMBED_URL") or "").strip() or None
        if embed_url and not embed_url.startswith(("http://", "https://")):
            raise ClausewiseError(f"CLAUSEWISE_EMBED_URL must be an http(s) URL, got {embed_url!r}")
        return cls(
            home=Path(env.get("CLAUSEWISE_HOME") or ".clausewise"),
            embed_url=embed_url,
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(port),
            chroma_auth_token=env.get("CHROMA_AUTH_TOKEN") or None,
            embedding=embedding,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            chat_model=env.get("CLAUSEWISE_CHAT_MODEL") or "gpt-4o-mini",
            api_token=env.get("CLAUSEWISE_API_TOKEN") or None,
            corpus=Path(env.get("CLAUSEWISE_CORPUS") or "corpus"),
            llm_timeout=_number(env, "CLAUSEWISE_LLM_TIMEOUT", 30.0, positive=True),
            llm_retries=_integer(env, "CLAUSEWISE_LLM_RETRIES", 1),
            llm_max_tokens=_integer(env, "CLAUSEWISE_LLM_MAX_TOKENS", 800, positive=True),
            llm_json_schema=_flag(env, "CLAUSEWISE_LLM_JSON_SCHEMA", True),
            llm_stream=_flag(env, "CLAUSEWISE_LLM_STREAM", True),
            show_unsupported=_flag(env, "CLAUSEWISE_SHOW_UNSUPPORTED", False),
            rate_limit=_number(env, "CLAUSEWISE_RATE_LIMIT", 120.0),
            max_upload_mb=_number(env, "CLAUSEWISE_MAX_UPLOAD_MB", 5.0, positive=True),
            allow_private_urls=_flag(env, "CLAUSEWISE_ALLOW_PRIVATE_URLS", False),
            mirror_chunks=_integer(env, "CLAUSEWISE_MIRROR_CHUNKS", 2_000_000),
        )

    def with_home(self, home: Path) -> Settings:
        return replace(self, home=home)

    @property
    def cache_path(self) -> Path:
        return self.home / "embed_cache.sqlite"


def _number(env: Mapping[str, str], name: str, default: float, positive: bool = False) -> float:
    """A finite decimal >= 0 (> 0 when `positive`); anything else is refused, naming the variable."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        bound = "a number > 0" if positive else "a number >= 0"
        raise ClausewiseError(f"{name} must be {bound}, got {raw!r}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, positive: bool = False) -> int:
    value = _number(env, name, default, positive)
    if value != int(value):
        raise ClausewiseError(f"{name} must be a whole number, got {env.get(name)!r}")
    return int(value)


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ClausewiseError(f"{name} must be 1 or 0, got {raw!r}")
