"""Analysis throughput of onrecord's Analyzer against bare spaCy on the same texts, side by side.

    python bench/analyse.py [--articles N] [--folder DIR] [--rounds R] [--components] [--spacy-rules]
                            [--disable COMPONENT ...] [--processes] [--profile FILE]

Texts: the PolNeAR dev texts (../shared/data/polnear/dev/text) when present, else examples/. Each text
is cleaned once (clean_text, not timed); then, in alternating rounds in one process so that the load
of the machine falls on both alike:
  - bare spaCy: `spacy.load(model).pipe(texts)` (tok2vec, tagger, parser, attribute_ruler,
    lemmatizer, ner), the floor;
  - onrecord: `Analyzer().analyze_many(articles)`, records built, language checked. Its pipeline
    applies the model's attribute rules with array look-ups (analyse/attribute_rules.py) instead of
    spaCy's Matcher: same annotations, a fraction of the time;
  - with `--spacy-rules`, also onrecord with spaCy's own AttributeRuler (a third side in the same
    rounds): what onrecord's components cost on top of an unchanged spaCy.
Printed: words/s of each and their ratio (goal >= 0.9). `--components` times each pipeline
component on its own over all docs (and the language check and record building), to show where
onrecord's own time goes. `--processes` compares 2 processes with 1 for both sides (wall time).
`--profile FILE` profiles onrecord's own components (cProfile on CPU time) and prints the top.
Timings with one process are CPU time of this process: the machine it was written on is shared,
and wall times there vary tenfold with the load while CPU times vary little.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
EXAMPLES = ROOT / "examples"


def load_articles(folder: Path | None, limit: int | None):
    from onrecord.errors import InputError
    from onrecord.ingest.text import clean_text

    folder = folder or (POLNEAR if POLNEAR.is_dir() else EXAMPLES)
    articles = []
    for path in sorted(folder.glob("*.txt"))[:limit]:
        try:
            articles.append(clean_text(path.read_text(encoding="utf-8"), source=str(path)))
        except InputError:
            continue
    return folder, articles


def timed(run, clock=time.process_time) -> float:
    """Seconds `run` takes on `clock`: CPU time of this process by default, which the other
    processes of a loaded machine hardly change (wall time can grow tenfold under load)."""
    started = clock()
    run()
    return clock() - started


def side_by_side(analyzer, bare, articles, rounds: int, n_process: int = 1, chunk: int = 8,
                 spacy_rules=None) -> dict:
    """Seconds of each side, alternating chunk by chunk (and rotating which side goes first) so that
    all meet the same load; CPU seconds for one process, wall seconds with workers (whose CPU time
    this process does not see). `spacy_rules`: an Analyzer with spaCy's AttributeRuler, a third side."""
    clock = time.process_time if n_process == 1 else time.perf_counter
    chunk = chunk if n_process == 1 else len(articles)  # workers start once per call: give them all
    sides = {
        "spacy": lambda part: list(bare.pipe([a.text for a in part], batch_size=32, n_process=n_process)),
        "onrecord": lambda part: list(analyzer.analyze_many(part, n_process=n_process)),
    }
    if spacy_rules is not None:
        sides["onrecord, spaCy's rules"] = lambda part: list(spacy_rules.analyze_many(part, n_process=n_process))
    seconds = dict.fromkeys(sides, 0.0)
    names = list(sides)
    turn = 0
    for _ in range(rounds):
        for start in range(0, len(articles), chunk):
            part = articles[start:start + chunk]
            for side in names[turn % len(names):] + names[:turn % len(names)]:
                seconds[side] += timed(lambda: sides[side](part), clock)
            turn += 1
    return seconds


def component_seconds(analyzer, articles) -> dict[str, float]:
    """Each step of onrecord's analysis alone over all articles, in pipeline order (CPU seconds)."""
    from onrecord.analyse.record import build_record

    nlp = analyzer.nlp
    steps: dict[str, float] = {}
    steps["language check"] = timed(lambda: [analyzer._language_warning(article) for article in articles])
    docs: list = []
    steps["tokenizer"] = timed(lambda: docs.extend(analyzer._prepared(articles)))
    for name, component in nlp.pipeline:
        if hasattr(component, "pipe"):
            steps[name] = timed(lambda: docs.__setitem__(slice(None), component.pipe(docs, batch_size=32)))
        else:
            steps[name] = timed(lambda: docs.__setitem__(slice(None), [component(doc) for doc in docs]))
    steps["build record"] = timed(lambda: [build_record(a, d, analyzer.version) for a, d in zip(articles, docs)])
    return steps


def profile_components(analyzer, articles, out: Path) -> None:
    """cProfile (on CPU time) of onrecord's own components over parsed docs: the functions where
    their time goes, cumulative, onrecord's code only. The full profile is written to `out`."""
    import cProfile
    import pstats

    # The components after spaCy's: onrecord_paragraphs runs before the parser and costs little.
    own = analyzer.nlp.pipe_names[analyzer.nlp.pipe_names.index("ner") + 1:]
    with analyzer.nlp.select_pipes(disable=own):
        docs = list(analyzer.nlp.pipe(analyzer._prepared(articles), batch_size=32))
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for name in own:
        docs = [analyzer.nlp.get_pipe(name)(doc) for doc in docs]
    profiler.disable()
    profiler.dump_stats(out)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"onrecord", 40)


def print_ratio(label: str, words: int, seconds: dict[str, float], rounds: int) -> tuple[float, float]:
    spacy_rate = words * rounds / seconds["spacy"]
    onrecord_rate = words * rounds / seconds["onrecord"]
    print(f"{label}: bare spaCy {spacy_rate:,.0f} words/s, onrecord {onrecord_rate:,.0f} words/s, "
          f"ratio {onrecord_rate / spacy_rate:.2f}x")
    if "onrecord, spaCy's rules" in seconds:
        rate = words * rounds / seconds["onrecord, spaCy's rules"]
        print(f"{' ' * len(label)}  onrecord with spaCy's AttributeRuler {rate:,.0f} words/s, ratio "
              f"{rate / spacy_rate:.2f}x (what onrecord's own components cost on top of spaCy)")
    return onrecord_rate, spacy_rate


def main() -> None:
    import spacy

    from onrecord.analyse.pipeline import Analyzer
    from onrecord.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="at most this many texts")
    parser.add_argument("--folder", type=Path, default=None, help="a folder of .txt files")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each side")
    parser.add_argument("--components", action="store_true", help="time each component alone")
    parser.add_argument("--spacy-rules", action="store_true",
                        help="also run onrecord with spaCy's AttributeRuler instead of the array rules")
    parser.add_argument("--disable", action="append", default=[], metavar="COMPONENT",
                        help="switch an onrecord component off (Settings.disable), e.g. onrecord_attribution_tagger")
    parser.add_argument("--processes", action="store_true", help="also compare 2 processes with 1")
    parser.add_argument("--profile", type=Path, default=None,
                        help="profile onrecord's own components, write the cProfile stats here")
    args = parser.parse_args()

    folder, articles = load_articles(args.folder, args.articles)
    analyzer = Analyzer(Settings(disable=frozenset(args.disable)))
    bare = spacy.load(analyzer.settings.model)
    spacy_rules = None
    if args.spacy_rules:
        from onrecord.analyse.attribute_rules import ARRAY_ATTRIBUTE_RULES

        spacy_rules = Analyzer(replace(analyzer.settings, disable=analyzer.settings.disable | {ARRAY_ATTRIBUTE_RULES}))
        list(spacy_rules.analyze_many(articles))  # warm-up, untimed
    # Warm-up, untimed: the components load word lists and the gazetteer on first use (seconds,
    # once per process); what is measured is the steady state of a long batch.
    words = sum(len(doc) for doc in bare.pipe([article.text for article in articles]))
    started = time.process_time()
    list(analyzer.analyze_many(articles))
    print(f"warm-up of onrecord (one-time loads included): {time.process_time() - started:.1f} CPU s")
    print(f"{len(articles)} articles, {words:,} words, from {folder}")
    print(f"onrecord pipeline: {', '.join(analyzer.nlp.pipe_names)}")

    print_ratio("1 process (CPU time)", words,
                side_by_side(analyzer, bare, articles, args.rounds, spacy_rules=spacy_rules), args.rounds)
    if args.components:
        steps = component_seconds(analyzer, articles)
        total = sum(steps.values())
        print("step                      seconds  share  words/s")
        for name, seconds in steps.items():
            print(f"{name:24} {seconds:8.3f} {seconds / total:6.1%} {words / seconds:9,.0f}")
        onrecord_own = sum(s for name, s in steps.items() if name not in bare.pipe_names and name != "tokenizer")
        print(f"onrecord's own steps: {onrecord_own:.3f} s = {onrecord_own / (total - onrecord_own):.1%} "
              f"of spaCy's")
    if args.processes:
        wall_one = print_ratio("1 process (wall time)", words,
                               side_by_side(analyzer, bare, articles, args.rounds, chunk=len(articles)),
                               args.rounds)
        wall_two = print_ratio("2 processes (wall time)", words,
                               side_by_side(analyzer, bare, articles, args.rounds, n_process=2), args.rounds)
        print(f"2 processes against 1: onrecord {wall_two[0] / wall_one[0]:.2f}x, "
              f"bare spaCy {wall_two[1] / wall_one[1]:.2f}x")
    if args.profile:
        profile_components(analyzer, articles, args.profile)

if __name__ == "__main__":
    main()
