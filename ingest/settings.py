"""One frozen Settings, read from the environment once at each entry point and passed down.

pydantic-settings reads the variables and pydantic checks them; a value that cannot be used stops the
program with one line naming the variable and what it must be. Settings(...) built in code reads
nothing from the environment: only `Settings.from_env()` does.

It lives in ingest/ because ingest/ never imports qa/, and both need it; qa.settings re-exports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.embed import DEFAULT_MODEL, MODELS
from ingest.errors import ClausewiseError


def _http_url(url: str | None) -> str | None:
    if url and not url.startswith(("http://", "https://")):
        raise ValueError("not an http(s) URL")
    return url


def _var(name: str, must_be: str, default: Any) -> Any:
    """A field read from the environment variable `name`; `must_be` completes its error message."""
    return Field(default, validation_alias=name, description=must_be)


NUMBER = "a number >= 0"
POSITIVE = "a number > 0"
FLAG = "1 or 0"
Number = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Whole = Annotated[int, Field(ge=0)]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, validate_by_name=True, validate_by_alias=True, extra="forbid")

    home: Path = _var("CLAUSEWISE_HOME", "a folder", Path(".clausewise"))
    chroma_host: str | None = _var("CHROMA_HOST", "a host name", None)
    chroma_port: Annotated[int, Field(gt=0, lt=65536)] = _var("CHROMA_PORT", "a port number (1-65535)", 8000)
    chroma_auth_token: str | None = _var("CHROMA_AUTH_TOKEN", "a token", None)
    embedding: Literal[tuple(MODELS)] = _var("CLAUSEWISE_EMBEDDING", f"one of: {', '.join(MODELS)}", DEFAULT_MODEL)  # type: ignore[valid-type]
    # An OpenAI-compatible embeddings server for ingest (same model).
    embed_url: Annotated[str | None, AfterValidator(_http_url)] = _var("CLAUSEWISE_EMBED_URL", "an http(s) URL", None)
    openai_api_key: str | None = _var("OPENAI_API_KEY", "a key", None)
    openai_base_url: str | None = _var("OPENAI_BASE_URL", "a URL", None)
    chat_model: str = _var("CLAUSEWISE_CHAT_MODEL", "a model name", "gpt-4o-mini")
    api_token: str | None = _var("CLAUSEWISE_API_TOKEN", "a token", None)
    # Indexed on first start when the index is empty.
    corpus: Path = _var("CLAUSEWISE_CORPUS", "a folder", Path("corpus"))
    llm_timeout: Positive = _var("CLAUSEWISE_LLM_TIMEOUT", POSITIVE, 30.0)
    llm_retries: Whole = _var("CLAUSEWISE_LLM_RETRIES", "a whole number >= 0", 1)
    llm_max_tokens: Annotated[int, Field(gt=0)] = _var("CLAUSEWISE_LLM_MAX_TOKENS", "a whole number > 0", 800)
    # Ask for JSON-schema output; falls back to plain JSON if refused.
    llm_json_schema: bool = _var("CLAUSEWISE_LLM_JSON_SCHEMA", FLAG, True)
    llm_stream: bool = _var("CLAUSEWISE_LLM_STREAM", FLAG, True)
    # Keep unverifiable sentences, marked, instead of removing them.
    show_unsupported: bool = _var("CLAUSEWISE_SHOW_UNSUPPORTED", FLAG, False)
    # API requests per minute per client (0.5 = one every two minutes); 0 turns it off.
    rate_limit: Number = _var("CLAUSEWISE_RATE_LIMIT", NUMBER, 120.0)
    max_upload_mb: Positive = _var("CLAUSEWISE_MAX_UPLOAD_MB", POSITIVE, 5.0)
    # Fetch URLs on loopback/private networks (tests, intranets).
    allow_private_urls: bool = _var("CLAUSEWISE_ALLOW_PRIVATE_URLS", FLAG, False)
    # Up to this many chunks, each process holds the vectors in memory.
    mirror_chunks: Whole = _var("CLAUSEWISE_MIRROR_CHUNKS", "a whole number >= 0", 2_000_000)

    @field_validator("*", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        """A value pasted with spaces around it (" 8000 ") still reads."""
        return value.strip() if isinstance(value, str) else value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of the process environment; ClausewiseError names the first unusable variable."""
        try:
            read = _Environment()
        except ValidationError as e:
            err = e.errors()[0]
            name = str(err["loc"][0])
            field = next((f for f in cls.model_fields.values() if f.validation_alias == name), None)
            must_be = field.description if field else err["msg"]
            raise ClausewiseError(f"{name} must be {must_be}, got {str(err['input'])!r}") from None
        return cls.model_construct(**read.model_dump())  # checked once, by _Environment's same fields

    def with_home(self, home: Path) -> Settings:
        return self.model_copy(update={"home": home})

    @property
    def cache_path(self) -> Path:
        return self.home / "embed_cache.sqlite"


class _Environment(BaseSettings, Settings):
    """Settings as pydantic-settings reads them from the environment (empty variables count as unset)."""

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, frozen=True, extra="ignore")
