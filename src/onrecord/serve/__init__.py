"""Serve: the REST API and the web pages over a corpus of records (FastAPI, Jinja2, no build step)."""

from onrecord.serve.app import create_app

__all__ = ["create_app"]
