"""Ingest: files, folders, HTML, JSON Lines and standard input into `Article`s (clean text + metadata)."""

from onrecord.ingest.article import Article
from onrecord.ingest.sources import InputItem, read_inputs

__all__ = ["Article", "InputItem", "read_inputs"]
