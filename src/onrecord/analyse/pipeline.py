"""The analysis pipeline: spaCy's English model plus onrecord's registered components."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

from onrecord.analyse import COMPONENTS
from onrecord.analyse.extensions import register_extensions
from onrecord.analyse.record import build_record, unanalysed_record
from onrecord.errors import ModelMissing, WrongLanguage
from onrecord.ingest.article import Article
from onrecord.ingest.language import detect_language
from onrecord.model import Record
from onrecord.settings import DEFAULT, Settings

# spaCy batches this many texts in nlp.pipe; news articles are 300-2,000 words, and beyond 32
# the parser gains nothing measurable on 2 cores while memory grows.
_BATCH_SIZE = 32


def load_pipeline(settings: Settings = DEFAULT):
    """spaCy's model (offline, from site-packages) with onrecord's components added by name."""
    import spacy

    register_extensions()
    try:
        nlp = spacy.load(settings.model)
    except OSError:
        raise ModelMissing(model=settings.model) from None
    for name, module, where in COMPONENTS:
        importlib.import_module(module)
        if name not in settings.disable:
            nlp.add_pipe(name, **where)
    return nlp


def pipeline_version(nlp) -> str:
    """Changes whenever the model or the set of components changes: stored records carry it."""
    from onrecord import __version__

    return f"onrecord-{__version__}+{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


class Analyzer:
    """Turns Articles into Records. Load it once: loading the model is the slow part."""

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings
        self.nlp = load_pipeline(settings)
        self.version = pipeline_version(self.nlp)

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> Analyzer:
        return Analyzer()

    def analyze(self, article: Article) -> Record:
        return next(iter(self.analyze_many([article])))

    def analyze_many(self, articles: Iterable[Article], batch_size: int = _BATCH_SIZE) -> Iterator[Record]:
        """Records in the order of `articles`; non-English ones are recorded but not analysed."""
        pending: list[tuple[Article, str | None]] = []
        for article in articles:
            pending.append((article, self._language_warning(article)))
            if len(pending) >= batch_size:
                yield from self._run(pending)
                pending = []
        yield from self._run(pending)

    def analyze_text(self, text: str, html: bool = False, **metadata) -> Record:
        from onrecord.ingest.html import parse_html
        from onrecord.ingest.text import clean_text

        article = parse_html(text, **metadata) if html else clean_text(text, **metadata)
        return self.analyze(article)

    def _language_warning(self, article: Article) -> str | None:
        language, confidence = detect_language(article.text)
        if language not in ("en", "und") and confidence >= self.settings.min_language_confidence:
            return WrongLanguage(language=language).message
        return None

    def _run(self, pending: list[tuple[Article, str | None]]) -> Iterator[Record]:
        english = [article for article, warning in pending if warning is None]
        docs = iter(self.nlp.pipe(self._prepared(english), batch_size=len(english) or 1))
        for article, warning in pending:
            if warning is None:
                yield build_record(article, next(docs), self.version)
            else:
                yield unanalysed_record(article, warning, self.version)

    def _prepared(self, articles: list[Article]):
        for article in articles:
            doc = self.nlp.make_doc(article.text)
            doc._.publication_date = article.published
            doc._.anchors = dict(self.settings.anchors)
            doc._.warnings = []
            yield doc
