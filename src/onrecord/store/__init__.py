"""The corpus store: records of many articles in SQLite (default) or PostgreSQL, and questions
across them. See `Store` for the API."""

from onrecord.store.core import DEFAULT_DB, Store, database_url

__all__ = ["DEFAULT_DB", "Store", "database_url"]
