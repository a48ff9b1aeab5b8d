"""Entity evaluation on NewsReader MEANTIME (English): onrecord beside bare spaCy, same texts, same run.

What is scored (stated so the numbers can be read):
- Gold mentions are MEANTIME's named mentions of entities: syntactic_type NAM and PRE.NAM, and the
  many mentions without a syntactic type whose head is capitalised or alphanumeric ("Boeing",
  "A380"); one per entity and head token (nested annotations of one name count once). A mention's
  head is its last word (possessive marks and brackets aside): "Ryanair CEO, Michael O'Leary" -> "Leary".
- Type mapping, MEANTIME -> ours: PER -> PERSON; ORG -> ORG; LOC -> GPE, LOC or FAC (one "PLACE"
  class); PRO -> PRODUCT. FIN (stock indices, currencies) and MIX have no counterpart: those gold
  mentions and any prediction on their head are left out. Predicted NORP, EVENT, LAW and
  WORK_OF_ART are left out for both systems: MEANTIME does annotate some demonyms ("American") as
  places, but mapping NORP to PLACE lowered both systems' scores (most NORP mentions are peoples).
- Scope of mention scores: MEANTIME marks every entity mention only in an article's first sentences
  (XML sentences 0-5: title, dateline and the first four sentences of the body); after them only
  mentions of the corpus's target entities are marked, so a correct name there counts as a false
  positive. Measured on all 83 articles with bare spaCy: 0.79-0.85 of its predictions in sentences
  0-5 match a gold mention, 0.16-0.32 in every later sentence. Mention P/R/F1 are therefore counted
  in sentences 0-5 only (gold and predictions alike, for both systems); `scope="all"` scores the
  whole text as before. Clustering scores use every gold mention.
- A prediction matches a gold mention when it covers its head token (one to one; among several
  covered heads, one of the prediction's type first).
  Untyped scores count matches; typed scores also need the mapped types to agree.
- Within-article clustering: B3 and MUC over the gold mentions; a gold mention's response cluster
  is the entity of the prediction matched to it, a singleton when none is. Bare spaCy has no
  clustering: its baseline puts mentions with the same text and type together.
- Cross-article identity: B3 over the gold entities that have a corpus instance (instance_id) and at
  least one named mention; the key cluster is the instance, the response cluster the corpus id the
  resolver gave the entity matched to most of its mentions (a singleton when none matched). The
  baseline's corpus id is the type and the text of the mention.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from onrecord.errors import MissingPath
from onrecord.evaluate import prf

TYPE_MAP = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "PRO": "PRODUCT"}
OUR_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "PRODUCT": "PRODUCT"}
_NAMED = {"NAM", "PRE.NAM"}
_NOT_HEADS = {"'s", "'", "(", ")", ",", "``", "''", '"', ".", "-"}
_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "its", "their", "his", "her", "our", "this", "that",
             "these", "those", "which", "who", "whose"}
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "'", "'re", "'ve", "'ll", "'d", "%", "''"}
_NO_SPACE_AFTER = {"(", "$", "US$", "``"}


@dataclass
class GoldMention:
    start: int
    end: int
    head: tuple[int, int]
    type: str | None  # our mapped type; None for FIN/MIX (ignored)
    entity: str  # the ENTITY m_id within the article


@dataclass
class GoldArticle:
    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)
    instances: dict[str, str] = field(default_factory=dict)  # entity m_id -> corpus instance id
    fully_annotated_end: int = 0  # character offset where the fully annotated sentences end


# Sentences (XML numbering, title = 0) in which MEANTIME marks every entity mention; see above.
FULLY_ANNOTATED_SENTENCES = 6

# ---------------------------------------------------------------- reading


def read_article(path: Path) -> GoldArticle:
    root = ElementTree.parse(path).getroot()
    text, offsets = _rebuild_text(root)
    article = GoldArticle(path.stem, text)
    later = [offsets[t.get("t_id")][0] for t in root.iter("token")
             if t.get("t_id") in offsets and int(t.get("sentence") or 0) >= FULLY_ANNOTATED_SENTENCES]
    article.fully_annotated_end = min(later, default=len(text))
    markables = root.find("Markables")
    mentions = {m.get("m_id"): m for m in markables if m.tag == "ENTITY_MENTION"}
    entities = {e.get("m_id"): e for e in markables if e.tag == "ENTITY"}
    seen = set()
    for relation in root.find("Relations") or []:
        if relation.tag != "REFERS_TO":
            continue
        target = relation.find("target").get("m_id")
        entity = entities.get(target)
        if entity is None:
            continue
        if entity.get("instance_id"):
            article.instances[target] = entity.get("instance_id")
        for source in relation.findall("source"):
            mention = mentions.get(source.get("m_id"))
            if mention is None or mention.get("syntactic_type") not in _NAMED | {None, ""}:
                continue
            ids = [a.get("t_id") for a in mention.findall("token_anchor") if a.get("t_id") in offsets]
            heads = [i for i in ids if text[offsets[i][0]:offsets[i][1]] not in _NOT_HEADS]
            if not heads or (heads[-1], target) in seen:
                continue
            head = text[offsets[heads[-1]][0]:offsets[heads[-1]][1]]
            if mention.get("syntactic_type") not in _NAMED and not _looks_named(head):
                continue
            seen.add((heads[-1], target))
            article.mentions.append(GoldMention(offsets[ids[0]][0], offsets[ids[-1]][1], offsets[heads[-1]],
                                                TYPE_MAP.get(entity.get("ent_type", "")), target))
    return article


def _looks_named(head: str) -> bool:
    # Many mentions carry no syntactic type; a capitalised or alphanumeric head ("Boeing", "A380")
    # marks the named ones, a lower-case one ("company", "its") the rest.
    return (head[:1].isupper() and head.lower() not in _PRONOUNS) or any(ch.isdigit() for ch in head)


def _rebuild_text(root) -> tuple[str, dict[str, tuple[int, int]]]:
    """The article's text from its tokens, sentences on lines of their own; token id -> offsets."""
    pieces: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    length, sentence, previous = 0, None, None
    for token in root.iter("token"):
        word = token.text or ""
        if sentence is not None and token.get("sentence") != sentence:
            pieces.append("\n\n" if sentence == "0" else "\n")
            length += len(pieces[-1])
        elif previous is not None and word not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            pieces.append(" ")
            length += 1
        offsets[token.get("t_id")] = (length, length + len(word))
        pieces.append(word)
        length += len(word)
        sentence, previous = token.get("sentence"), word
    return "".join(pieces), offsets


def read_corpus(folder: str | Path, limit: int | None = None) -> list[GoldArticle]:
    folder = Path(folder)
    if not folder.exists():
        raise MissingPath(str(folder))
    paths = sorted(folder.rglob("*.xml"))
    return [read_article(path) for path in paths[:limit]]


# ---------------------------------------------------------------- systems


@dataclass
class Predicted:
    start: int
    end: int
    type: str  # mapped type
    entity: str  # within-article cluster id
    corpus: str  # cross-article id


def onrecord_predictions(doc) -> list[Predicted]:
    return [Predicted(m.start, m.end, OUR_TYPE[e.type], e.id, e.corpus_id or f"{e.type}:{e.name}")
            for e in doc._.entities or [] if e.type in OUR_TYPE for m in e.mentions if m.kind == "name"]


def spacy_predictions(doc) -> list[Predicted]:
    """Bare spaCy: NER entities, clustered by exact text and type within and across articles."""
    return [Predicted(ent.start_char, ent.end_char, OUR_TYPE[ent.label_], f"{ent.label_}:{ent.text}",
                      f"{ent.label_}:{ent.text}") for ent in doc.ents if ent.label_ in OUR_TYPE]


# ---------------------------------------------------------------- scoring


def match(gold: list[GoldMention], predicted: list[Predicted]) -> tuple[dict[int, int], set[int]]:
    """Gold index -> predicted index, one to one; and predictions to leave out (on FIN/MIX heads).
    A prediction covering several gold heads ("Airbus A380": maker and model) takes the gold
    mention of its own type when there is one."""
    pairs: dict[int, int] = {}
    ignored: set[int] = set()
    for p, prediction in enumerate(predicted):
        covered = [g for g, mention in enumerate(gold) if g not in pairs
                   and prediction.start <= mention.head[0] and mention.head[1] <= prediction.end]
        scored = [g for g in covered if gold[g].type is not None]
        if not scored:
            if covered:
                ignored.add(p)
            continue
        same_type = [g for g in scored if gold[g].type == prediction.type]
        pairs[(same_type or scored)[0]] = p
    return pairs, ignored


def b_cubed(key: dict, response: dict) -> dict[str, float]:
    """B3 over the items of `key` (item -> cluster); `response` gives every item a cluster."""
    key_members, response_members = defaultdict(set), defaultdict(set)
    for item, cluster in key.items():
        key_members[cluster].add(item)
        response_members[response[item]].add(item)
    precision = recall = 0.0
    for item in key:
        k, r = key_members[key[item]], response_members[response[item]]
        overlap = len(k & r)
        precision += overlap / len(r)
        recall += overlap / len(k)
    n = len(key) or 1
    return _pr(precision / n, recall / n)


def muc(key: dict, response: dict) -> dict[str, float]:
    """MUC (Vilain et al. 1995): links needed to rebuild one partition from the other."""
    def score(a: dict, b: dict) -> float:
        clusters = defaultdict(set)
        for item, cluster in a.items():
            clusters[cluster].add(item)
        numerator = denominator = 0
        for members in clusters.values():
            parts = {b[item] for item in members}
            numerator += len(members) - len(parts)
            denominator += len(members) - 1
        return numerator / denominator if denominator else 0.0
    return _pr(score(response, key), score(key, response))


def _pr(precision: float, recall: float) -> dict[str, float]:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


class Scorer:
    """Collects counts over articles for one system."""

    def __init__(self, scope: str = "annotated") -> None:
        self.scope = scope  # "annotated": mention scores in the fully annotated sentences; "all"
        self.untyped = Counter()
        self.typed: dict[str, Counter] = defaultdict(Counter)
        self.within_key: dict = {}
        self.within_response: dict = {}
        self.cross_key: dict = {}
        self.cross_response: dict = {}

    def add(self, article: GoldArticle, predicted: list[Predicted]) -> None:
        gold = article.mentions
        pairs, ignored = match(gold, predicted)
        self._add_clusters(article, pairs, predicted)
        if self.scope != "all":
            end = article.fully_annotated_end
            ignored = ignored | {i for i, p in enumerate(predicted) if p.start >= end}
            out = {g for g, mention in enumerate(gold) if mention.start >= end}
            pairs = {g: p for g, p in pairs.items() if g not in out and p not in ignored}
        else:
            out = set()
        matched = set(pairs.values())
        self.untyped["tp"] += len(pairs)
        self.untyped["fp"] += len([i for i, _ in enumerate(predicted) if i not in matched and i not in ignored])
        self.untyped["fn"] += len([g for g, m in enumerate(gold) if m.type is not None and g not in out]) - len(pairs)
        for g, mention in enumerate(gold):
            if mention.type is None or g in out:
                continue
            p = pairs.get(g)
            if p is not None and predicted[p].type == mention.type:
                self.typed[mention.type]["tp"] += 1
            else:
                self.typed[mention.type]["fn"] += 1
        for i, prediction in enumerate(predicted):
            if i in ignored:
                continue
            good = any(p == i and predicted[p].type == gold[g].type for g, p in pairs.items())
            if not good:
                self.typed[prediction.type]["fp"] += 1

    def _add_clusters(self, article: GoldArticle, pairs: dict[int, int], predicted: list[Predicted]) -> None:
        votes: dict[str, Counter] = defaultdict(Counter)
        for g, mention in enumerate(article.mentions):
            if mention.type is None:
                continue
            item = (article.name, g)
            self.within_key[item] = (article.name, mention.entity)
            p = pairs.get(g)
            self.within_response[item] = (article.name, predicted[p].entity) if p is not None else item
            counts = votes.setdefault(mention.entity, Counter())  # an entity with no match still counts
            if p is not None:
                counts[predicted[p].corpus] += 1
        for entity, counts in votes.items():
            if entity not in article.instances:
                continue
            item = (article.name, entity)
            self.cross_key[item] = article.instances[entity]
            self.cross_response[item] = counts.most_common(1)[0][0] if counts else item

    def metrics(self) -> dict:
        typed = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(self.typed.items())}
        total = Counter()
        for counts in self.typed.values():
            total.update(counts)
        return {
            "mentions": prf(self.untyped["tp"], self.untyped["fp"], self.untyped["fn"]),
            "mentions_typed": prf(total["tp"], total["fp"], total["fn"]),
            "by_type": typed,
            "within_b3": b_cubed(self.within_key, self.within_response),
            "within_muc": muc(self.within_key, self.within_response),
            "cross_b3": b_cubed(self.cross_key, self.cross_response),
        }


def evaluate_entities(folder: str | Path, limit: int | None = None, nlp=None, scope: str = "annotated") -> dict:
    """Score onrecord's entities and bare spaCy's NER on the MEANTIME articles under `folder`."""
    from onrecord.resolve.entities import EntityResolver

    articles = read_corpus(folder, limit)
    if nlp is None:
        from onrecord.analyse import COMPONENTS
        from onrecord.analyse.pipeline import load_pipeline
        from onrecord.settings import Settings

        # Only what entities need: the other extractors would only slow the run down.
        others = {name for name, _, _ in COMPONENTS if name not in {"onrecord_paragraphs", "onrecord_entities"}}
        nlp = load_pipeline(Settings(disable=frozenset(others)))
    ours, bare = Scorer(scope), Scorer(scope)
    resolver = EntityResolver()
    started = time.perf_counter()
    # spaCy's doc.ents are left as the model made them, so one run gives both systems.
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles)):
        resolver.add_entities(doc._.entities or [])
        ours.add(article, onrecord_predictions(doc))
        bare.add(article, spacy_predictions(doc))
    seconds = time.perf_counter() - started
    return {"articles": len(articles), "gold_mentions": sum(len(a.mentions) for a in articles),
            "onrecord": ours.metrics(), "spacy": bare.metrics(),
            "scope": scope, "seconds": round(seconds, 1)}


def print_side_by_side(metrics: dict, as_json: bool) -> None:
    """One JSON object, or a table with onrecord's and bare spaCy's numbers in adjacent columns."""
    import json

    from rich.console import Console
    from rich.table import Table

    if as_json:
        print(json.dumps(metrics))
        return
    ours, bare = dict(_flat(metrics["onrecord"])), dict(_flat(metrics["spacy"]))
    scope = "sentences 0-5" if metrics.get("scope", "annotated") != "all" else "whole text"
    table = Table("metric", "onrecord", "spaCy sm", title=f"entities (MEANTIME, {metrics['articles']} articles, "
                  f"{metrics['gold_mentions']} gold mentions, mentions scored in {scope}, {metrics['seconds']} s)",
                  title_justify="left")
    for name, value in ours.items():
        table.add_row(name, f"{value:.3f}", f"{bare.get(name, float('nan')):.3f}")
    Console(highlight=False).print(table)


def _flat(metrics: dict, prefix: str = ""):
    for name, value in metrics.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value
