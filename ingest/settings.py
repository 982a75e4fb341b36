"""One frozen Settings, read from the environment once at each entry point and passed down.

It lives in ingest/ because ingest/ never imports qa/, and both need it; qa.settings re-exports it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
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
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    chat_model: str = "gpt-4o-mini"
    api_token: str | None = None
    corpus: Path = Path("corpus")  # indexed on first start when the index is empty

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port = env.get("CHROMA_PORT", "8000")
        if not port.isdigit():
            raise ClausewiseError(f"CHROMA_PORT must be a port number, got {port!r}")
        embedding = env.get("CLAUSEWISE_EMBEDDING", DEFAULT_MODEL)
        if embedding not in MODELS:
            raise ClausewiseError(f"CLAUSEWISE_EMBEDDING={embedding!r} is unknown; choose from: {', '.join(MODELS)}")
        return cls(
            home=Path(env.get("CLAUSEWISE_HOME") or ".clausewise"),
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(port),
            chroma_auth_token=env.get("CHROMA_AUTH_TOKEN") or None,
            embedding=embedding,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            chat_model=env.get("CLAUSEWISE_CHAT_MODEL") or "gpt-4o-mini",
            api_token=env.get("CLAUSEWISE_API_TOKEN") or None,
            corpus=Path(env.get("CLAUSEWISE_CORPUS") or "corpus"),
        )

    def with_home(self, home: Path) -> Settings:
        return Settings(**{**self.__dict__, "home": home})

    @property
    def cache_path(self) -> Path:
        return self.home / "embed_cache.sqlite"
