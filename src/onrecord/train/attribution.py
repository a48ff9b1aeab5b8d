"""Train the attribution tagger's CRF (`onrecord train attribution DIR`) on a PolNeAR-layout folder.

Every article is parsed by the pipeline up to the rules (`onrecord_attributions`), so the CRF learns
from the same rule output it will correct. Gold Content, Cue and Source spans become BIO tags on
the tokens of the units the component tags (paragraphs that can hold an attribution). Training is
L-BFGS over a fixed article order with fixed parameters, so the same folder gives the same model.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc

from onrecord.analyse.attribution_tagger import (
    QUOTE_MARKS,
    Unit,
    doc_features,
    paragraph_tokens,
    tagging_units,
)
from onrecord.analyse.reported import cue_nouns, reporting_verbs
from onrecord.evaluate.attribution import GoldArticle, GoldAttribution, read_polnear
from onrecord.model import Attribution

# L1/L2 regularisation and iterations: crfsuite's usual starting point, not tuned (each training
# takes minutes on this machine); the component's thresholds were tuned on 140 held-out train
# articles with a model trained this way on the other 700.
C1 = 0.05
C2 = 0.05
MAX_ITERATIONS = 150
# Features seen fewer times than this are dropped: they only memorise single articles.
MIN_FEATURE_FREQUENCY = 2
RULE_COMPONENTS_TO_SKIP = ("onrecord_attribution_tagger", "onrecord_speaker_ranker", "onrecord_events")


def gold_tags(doc: Doc, unit: Unit, gold: list[GoldAttribution]) -> list[str]:
    """BIO tags of Content (C), Cue (Q) and Source (S) for the tokens of one unit: a token takes a
    role when it begins inside a gold span of that role (PolNeAR is univocal: one role a token)."""
    tags = ["O"] * (unit.end - unit.start)
    first_char = doc[unit.start].idx
    last_char = doc[unit.end - 1].idx + len(doc[unit.end - 1])
    for attribution in gold:
        for role, span in (("C", attribution.content), ("Q", attribution.cue), ("S", attribution.source)):
            if span is None:
                continue
            for part_start, part_end in span.parts:
                if part_end <= first_char or part_start >= last_char:
                    continue
                begun = False
                for offset in range(len(tags)):
                    token = doc[unit.start + offset]
                    if part_start <= token.idx < part_end and not token.is_space:
                        tags[offset] = ("I-" if begun else "B-") + role
                        begun = True
    return tags


def training_units(doc: Doc, attributions: list[Attribution]) -> list[Unit]:
    """Paragraphs with a rule content, a quotation mark or a reporting word. The component tags
    only the first kind, but learning from all of them gave a better model on held-out train
    articles (exact F1 .566 against .560: it sees more contents the rules did not find)."""
    verbs, nouns = reporting_verbs(), cue_nouns()
    ruled = {(unit.start, unit.end) for unit in tagging_units(doc, attributions)}
    return [Unit(start, end) for start, end in paragraph_tokens(doc) if (start, end) in ruled or any(
        token.text in QUOTE_MARKS or token.lemma_.lower() in verbs or token.lemma_.lower() in nouns
        for token in doc[start:end])]


def training_sequences(docs: Iterable[Doc], articles: list[GoldArticle]):
    """(features, tags) for every training unit of every article."""
    for doc, article in zip(docs, articles, strict=True):
        attributions = doc._.attributions or []
        units = training_units(doc, attributions)
        for unit, sequence in zip(units, doc_features(doc, attributions, units), strict=True):
            yield sequence, gold_tags(doc, unit, article.attributions)


def parsed(articles: list[GoldArticle], nlp=None, skip: Iterable[str] = RULE_COMPONENTS_TO_SKIP) -> Iterable[Doc]:
    """The articles run through the pipeline up to the attribution rules (the components in `skip` left out)."""
    from onrecord.analyse.pipeline import load_pipeline
    from onrecord.settings import Settings

    nlp = nlp or load_pipeline(Settings(disable=frozenset(skip)))
    names = [name for name in nlp.pipe_names if name not in skip]
    with nlp.select_pipes(enable=names):
        yield from nlp.pipe((article.text for article in articles), batch_size=16)


def train_model(sequences: Iterable[tuple[list[list[str]], list[str]]], model_path: Path,
                c1: float = C1, c2: float = C2, max_iterations: int = MAX_ITERATIONS) -> int:
    """Train and save the CRF; returns the number of sequences it saw."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    for features, tags in sequences:
        trainer.append(features, tags)
        count += 1
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.minfreq": MIN_FEATURE_FREQUENCY, "feature.possible_transitions": True})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    return count


def default_model_path() -> Path:
    from importlib import resources

    from onrecord.analyse.attribution_tagger import MODEL_FILE

    return Path(str(resources.files("onrecord.data").joinpath(MODEL_FILE)))


def train_attribution(directory: Path, model_path: Path | None = None, limit: int | None = None) -> dict:
    """Parse a PolNeAR-layout folder, train the CRF on it and write the model file."""
    model_path = model_path or default_model_path()
    articles = read_polnear(directory, limit)
    count = train_model(training_sequences(parsed(articles), articles), model_path)
    return {"articles": len(articles), "sequences": count, "model": str(model_path),
            "bytes": model_path.stat().st_size}
