"""The Doc extensions onrecord components write to. Each component owns one and overwrites no other's."""

from __future__ import annotations

from spacy.tokens import Doc

# name -> what it holds (a list of onrecord.model objects, or plain offsets)
DOC_EXTENSIONS = {
    "paragraphs": "list[tuple[int, int]]: character offsets of paragraphs (onrecord_paragraphs)",
    "entities": "list[model.Entity] (onrecord_entities)",
    "attributions": "list[model.Attribution] (onrecord_attributions)",
    "events": "list[model.Event] (onrecord_events)",
    "times": "list[model.TimeExpression] (onrecord_times)",
    "publication_date": "str | None: YYYY-MM-DD, set before the pipeline runs, read by time normalisation",
    "anchors": "dict[str, str]: named time anchors from Settings, set before the pipeline runs",
    "warnings": "list[str]: what a component could not do, for the record's warnings",
}


def register_extensions() -> None:
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
