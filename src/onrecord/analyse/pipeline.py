"""The analysis pipeline: spaCy's English model plus onrecord's registered components."""

from __future__ import annotations

import importlib
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
from spacy.attrs import ORTH

from onrecord.analyse import COMPONENTS, OPTIONAL_COMPONENTS
from onrecord.analyse.attribute_rules import ARRAY_ATTRIBUTE_RULES, use_array_rules
from onrecord.analyse.extensions import register_extensions
from onrecord.analyse.record import build_record, unanalysed_record
from onrecord.analyse.tokens import keep_text
from onrecord.bounds import (
    _SENTENCE_ENDS,
    MAX_ANALYSED_CHARS,
    MAX_SENTENCE_TOKENS,
    analysed_length,
    split_long_runs,
)
from onrecord.errors import AnalysisTimeout, ModelMissing, Warnings, WrongLanguage
from onrecord.ingest.article import Article
from onrecord.ingest.language import detect_language
from onrecord.model import Record
from onrecord.settings import DEFAULT, Settings

# spaCy batches this many texts in nlp.pipe; news articles are 300-2,000 words, and beyond 32
# the parser gains nothing measurable on 2 cores while memory grows.
_BATCH_SIZE = 32
# Set in the parent before worker processes fork, so that workers share the loaded model.
_WORKER_ANALYZER: Analyzer | None = None


def load_pipeline(settings: Settings = DEFAULT):
    """spaCy's model (offline, from site-packages) with onrecord's components added by name."""
    import spacy

    register_extensions()
    try:
        nlp = spacy.load(settings.model)
    except OSError:
        raise ModelMissing(model=settings.model) from None
    if ARRAY_ATTRIBUTE_RULES not in settings.disable:
        # The model's attribute rules, same annotations, applied with array look-ups (attribute_rules.py).
        use_array_rules(nlp)
    for name, module, where in COMPONENTS:
        importlib.import_module(module)
        if name not in settings.disable and (name not in OPTIONAL_COMPONENTS or name in settings.enable):
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

    def analyze(self, article: Article, timeout: float | None = None) -> Record:
        """The record of one article. With `timeout` (seconds), components run one by one and
        AnalysisTimeout is raised at the first component boundary past it: a running spaCy
        component cannot be interrupted, but bounds.py keeps each one's work bounded."""
        if timeout is None:
            return next(iter(self.analyze_many([article])))
        warning = self._language_warning(article)
        if warning is not None:
            return unanalysed_record(article, warning, self.version)
        deadline = time.monotonic() + timeout
        doc = next(self._prepared([article]))
        for _name, component in self.nlp.pipeline:
            doc = component(doc)
            if time.monotonic() > deadline:
                raise AnalysisTimeout(limit=timeout)
        return build_record(article, doc, self.version)

    def analyze_many(self, articles: Iterable[Article], batch_size: int = _BATCH_SIZE,
                     n_process: int = 1) -> Iterator[Record]:
        """Records in the order of `articles`; non-English ones are recorded but not analysed.
        With n_process > 1, batches go to that many worker processes (forked where the platform
        allows it, so that they share the loaded model)."""
        if n_process > 1:
            yield from self._analyze_in_processes(articles, batch_size, n_process)
            return
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

    def _analyze_in_processes(self, articles: Iterable[Article], batch_size: int,
                              n_process: int) -> Iterator[Record]:
        global _WORKER_ANALYZER
        _WORKER_ANALYZER = self
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(n_process, initializer=_start_worker, initargs=(self.settings,)) as pool:
            # imap keeps the input order; each task is one nlp.pipe batch.
            for records in pool.imap(_analyze_batch, _batches(articles, batch_size)):
                yield from records

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
            length = analysed_length(article.text)
            text = article.text[:length] if length < len(article.text) else article.text
            doc = self.nlp.make_doc(text)
            keep_text(doc, text)  # the components read the text without rebuilding it from the tokens
            doc._.publication_date = article.published
            doc._.anchors = dict(self.settings.anchors)
            doc._.warnings = [] if length == len(article.text) else [cut_warning(len(article.text), length)]
            if _has_long_run(doc) and (split := split_long_runs(doc)):
                doc._.warnings.append(Warnings.format(
                    Warnings.LONG_SENTENCES_SPLIT, f"{split} run(s) of more than {MAX_SENTENCE_TOKENS} words "
                    "without a sentence end were split into sentences for analysis"))
            yield doc


def cut_warning(total: int, analysed: int) -> str:
    return Warnings.format(Warnings.ANALYSIS_CUT,
                           f"the article has {total:,} characters: only the first {analysed:,} were "
                           f"analysed (the limit is {MAX_ANALYSED_CHARS:,})")


def _has_long_run(doc, limit: int = MAX_SENTENCE_TOKENS) -> bool:
    """Whether split_long_runs has anything to do: some run of more than `limit` tokens between
    sentence-ending tokens. Read from the array of the tokens' words, without a Token object per word
    (split_long_runs walks every token: most articles have no such run)."""
    if len(doc) <= limit:
        return False
    strings = doc.vocab.strings
    ends = numpy.array([strings.add(text) for text in _SENTENCE_ENDS], dtype=numpy.uint64)
    positions = numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), ends))
    bounds = numpy.concatenate(([-1], positions, [len(doc)]))
    return bool((numpy.diff(bounds) > limit + 1).any())


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _start_worker(settings: Settings) -> None:
    global _WORKER_ANALYZER
    if _WORKER_ANALYZER is None or _WORKER_ANALYZER.settings != settings:
        _WORKER_ANALYZER = Analyzer(settings)  # spawned, not forked: load the model here


def _analyze_batch(articles: list[Article]) -> list[Record]:
    return list(_WORKER_ANALYZER.analyze_many(articles))
