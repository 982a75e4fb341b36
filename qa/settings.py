"""Settings for qa/ entry points; the one definition lives in ingest.settings (ingest never imports qa)."""

from ingest.settings import Settings

__all__ = ["Settings"]
