"""Fine-tune the attribution encoder (`onrecord train attribution-encoder DIR`) on a PolNeAR-layout folder.

Gold Content, Cue and Source spans become BIO labels on the word pieces of each article
(encoder_tags.article_pieces); the articles are cut into overlapping windows and the encoder plus
its tagging head learn them with cross-entropy (AdamW, linear warm-up and decay). The word-embedding
table stays frozen: it is half the model, so the shipped weights stay small (whether tuning it
would gain anything was not measured).

Every tenth article (by name) is held out: the component's merge thresholds are chosen on them,
never on dev. Seeds and the article order are fixed (byte-identical reruns were not checked: one
training takes about an hour here).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from onrecord.analyse.encoder_tags import (
    LABELS,
    WINDOW,
    Piece,
    article_pieces,
    build_model,
    load_tokenizer,
    packaged_weights,
    save_weights,
    trained_parameters,
    windows,
)
from onrecord.evaluate.attribution import GoldArticle, GoldAttribution, read_polnear
from onrecord.train import split_articles

EPOCHS = 3
BATCH = 16
LEARNING_RATE = 1e-4
WARMUP_SHARE = 0.06
WEIGHT_DECAY = 0.01
SEED = 13
# Windows overlap less in training than in tagging: each piece is seen about 1.3 times per epoch.
TRAIN_STRIDE = 192
_IGNORE = -100  # torch's cross-entropy ignore_index, for padding


def piece_labels(pieces: list[Piece], gold: list[GoldAttribution]) -> list[int]:
    """Label index of every piece: the role of the gold span its first character lies in, B on the
    first piece of each span part (PolNeAR is univocal: a piece has at most one role)."""
    from bisect import bisect_left

    labels = [0] * len(pieces)
    starts = [piece.start for piece in pieces]
    for attribution in gold:
        for role, span in (("C", attribution.content), ("Q", attribution.cue), ("S", attribution.source)):
            if span is None:
                continue
            for part_start, part_end in span.parts:
                first = bisect_left(starts, part_start)
                for index in range(first, bisect_left(starts, part_end)):
                    labels[index] = LABELS.index(("B-" if index == first else "I-") + role)
    return labels


def training_windows(tokenizer, articles: list[GoldArticle]) -> list[tuple[list[int], list[int]]]:
    """(piece ids, labels) of every training window, [CLS]/[SEP] added."""
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    result = []
    for article in articles:
        pieces = article_pieces(tokenizer, article.text)
        labels = piece_labels(pieces, article.attributions)
        for start, end in windows(len(pieces), WINDOW - 2, TRAIN_STRIDE):
            ids = [cls] + [piece.id for piece in pieces[start:end]] + [sep]
            result.append((ids, [_IGNORE] + labels[start:end] + [_IGNORE]))
    return result


def batches(examples: list, size: int, rng: random.Random):
    order = list(range(len(examples)))
    rng.shuffle(order)
    for first in range(0, len(order), size):
        yield [examples[index] for index in order[first:first + size]]


def padded(torch, batch: list[tuple[list[int], list[int]]]):
    width = max(len(ids) for ids, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), _IGNORE, dtype=torch.long)
    for row, (piece_ids, piece_labels_) in enumerate(batch):
        ids[row, :len(piece_ids)] = torch.tensor(piece_ids)
        mask[row, :len(piece_ids)] = 1
        labels[row, :len(piece_labels_)] = torch.tensor(piece_labels_)
    return ids, mask, labels


def fine_tune(examples: list, epochs: int = EPOCHS, progress: Callable[[str], None] | None = None,
              after_epoch: Callable[[int, object], None] | None = None):
    """The trained tagger (a torch module) after `epochs` passes over the examples."""
    import torch

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    model = build_model()
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    parameters = list(trained_parameters(model).values())
    optimizer = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    steps = epochs * math.ceil(len(examples) / BATCH)
    warmup = max(1, int(steps * WARMUP_SHARE))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup))))
    loss_function = torch.nn.CrossEntropyLoss(ignore_index=_IGNORE)
    step, began = 0, time.monotonic()
    for epoch in range(epochs):
        model.train()
        for batch in batches(examples, BATCH, rng):
            ids, mask, labels = padded(torch, batch)
            loss = loss_function(model(ids, mask).reshape(-1, len(LABELS)), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if progress and step % 20 == 0:
                elapsed = time.monotonic() - began
                progress(f"epoch {epoch + 1}/{epochs} step {step}/{steps} loss {loss.item():.3f} "
                         f"eta {elapsed / step * (steps - step) / 60:.1f} min")
        model.eval()
        if after_epoch:
            after_epoch(epoch + 1, model)
    return model


def train_attribution_encoder(directory: Path, weights_path: Path | None = None, limit: int | None = None,
                              epochs: int = EPOCHS) -> dict:
    """Fine-tune on a PolNeAR-layout folder (held-out articles excluded) and write the weights."""
    weights_path = weights_path or packaged_weights()
    articles, held_out = split_articles(read_polnear(directory, limit))
    examples = training_windows(load_tokenizer(), articles)
    model = fine_tune(examples, epochs, progress=lambda line: print(line, file=sys.stderr, flush=True))
    save_weights(model, weights_path)
    return {"articles": len(articles), "held_out": len(held_out), "windows": len(examples), "epochs": epochs,
            "stride": TRAIN_STRIDE, "weights": str(weights_path), "bytes": weights_path.stat().st_size}
