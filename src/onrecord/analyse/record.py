"""Assemble the Record from an Article and its analysed Doc."""

from __future__ import annotations

from spacy.tokens import Doc

from onrecord.analyse.structure import paragraph_offsets
from onrecord.errors import Warnings
from onrecord.ingest.article import Article
from onrecord.model import DocumentInfo, Offsets, Record


def document_info(article: Article, language: str = "en") -> DocumentInfo:
    return DocumentInfo(id=article.doc_id, source=article.source, title=article.title,
                        published=article.published, outlet=article.outlet, url=article.url,
                        author=article.author, language=language)


def build_record(article: Article, doc: Doc, version: str) -> Record:
    return Record(
        pipeline_version=version,
        document=document_info(article),
        text=article.text,
        paragraphs=[Offsets(start=s, end=e) for s, e in (doc._.paragraphs or paragraph_offsets(doc.text))],
        entities=doc._.entities or [],
        attributions=doc._.attributions or [],
        events=doc._.events or [],
        times=doc._.times or [],
        warnings=[*article.warnings, *(doc._.warnings or [])],
    )


def unanalysed_record(article: Article, warning: str, version: str) -> Record:
    """A record for an article that is kept but not analysed (another language)."""
    language = warning.split("'")[1] if "'" in warning else "und"
    return Record(pipeline_version=version, document=document_info(article, language), text=article.text,
                  paragraphs=[Offsets(start=s, end=e) for s, e in paragraph_offsets(article.text)],
                  warnings=[*article.warnings, Warnings.format(Warnings.NOT_ENGLISH, warning)])
