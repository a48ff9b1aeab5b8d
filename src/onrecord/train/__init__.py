"""Train: rebuild the trained models that ship in onrecord/data from annotated corpora, one command each."""

from __future__ import annotations

# Every tenth article (in name order) is held out of training: thresholds and features are chosen on
# those, so that PolNeAR dev is scored only once the choices are made.
HELD_OUT_EVERY = 10


def split_articles(articles: list) -> tuple[list, list]:
    """(training, held out): every HELD_OUT_EVERY-th article in name order is held out."""
    held = [a for index, a in enumerate(articles) if index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    kept = [a for index, a in enumerate(articles) if index % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    return kept, held
