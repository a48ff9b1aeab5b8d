"""Cross-document event identity on MEANTIME: do onrecord's event groups match the annotated
cross-document event instances?

Gold: every event mention that MEANTIME links (REFERS_TO) to an event instance; mentions of one
instance, in one or several articles, form one gold group. onrecord parses each article, takes the
lemma of each gold mention's head word, its participants (onrecord's own entities among the
mention's syntactic arguments, by transliteration-folded key) and a date said in its sentence,
and groups mentions with `resolve.event_identity.group_events`. Scores: B-cubed over all gold
mentions, and precision/recall of the links between mentions in different articles (what
cross-document identity adds). Two baselines give the scale: every mention alone, and one group
per lemma.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from onrecord.errors import MissingPath
from onrecord.evaluate import prf
from onrecord.evaluate.meantime import rebuild_text
from onrecord.resolve.event_identity import EventMention, group_events

# Dependency relations that link a predicate to its participants (spaCy's English labels).
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "iobj", "dative", "agent", "attr", "poss",
                  "compound", "nmod", "npadvmod", "appos", "pobj"}
_PREPOSITION_DEPS = {"prep", "agent"}


@dataclass
class GoldMention:
    id: str  # "document#m_id"
    document: str
    start: int
    end: int
    instance: str


@dataclass
class GoldArticle:
    name: str
    text: str
    creation_date: str | None
    mentions: list[GoldMention]


def read_gold(path: Path) -> GoldArticle:
    root = ElementTree.parse(path).getroot()
    text, offsets = rebuild_text(root)
    instances = {event.get("m_id"): event.get("instance_id") for event in root.iter("EVENT")
                 if event.get("instance_id")}
    refers = {}
    for relation in root.iter("REFERS_TO"):
        target = relation.find("target")
        if target is not None and target.get("m_id") in instances:
            for source in relation.iter("source"):
                refers[source.get("m_id")] = instances[target.get("m_id")]
    mentions = []
    for mention in root.iter("EVENT_MENTION"):
        spans = [offsets[a.get("t_id")] for a in mention.iter("token_anchor") if a.get("t_id") in offsets]
        if spans and mention.get("m_id") in refers:
            mentions.append(GoldMention(f"{path.stem}#{mention.get('m_id')}", path.stem, min(s for s, _ in spans),
                                        max(e for _, e in spans), refers[mention.get("m_id")]))
    creation = next((timex.get("value", "")[:10] for timex in root.iter("TIMEX3")
                     if timex.get("functionInDocument") == "CREATION_TIME"), None)
    return GoldArticle(path.stem, text, creation or None, mentions)


def read_corpus(folder: Path) -> list[GoldArticle]:
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingPath(str(folder))
    return [read_gold(path) for path in sorted(folder.rglob("*.xml"))]


def _head(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _argument_spans(head) -> list[tuple[int, int]]:
    """Character ranges of a predicate's arguments: its nominal dependents and the objects of its
    prepositions (and, for a noun, the clause it is an argument of is left out)."""
    spans = []
    for child in head.children:
        targets = [child] if child.dep_ in _ARGUMENT_DEPS else []
        if child.dep_ in _PREPOSITION_DEPS:
            targets = [grandchild for grandchild in child.children if grandchild.dep_ in ("pobj", "pcomp")]
        for target in targets:
            subtree = list(target.subtree)
            spans.append((subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)))
    return spans


def system_mentions(article: GoldArticle, doc) -> list[EventMention]:
    from onrecord.store.corpus import entity_key

    located = [(mention.start, mention.end, entity_key(entity)) for entity in (doc._.entities or [])
               for mention in entity.mentions]
    dated = [(time.start, time.value) for time in (doc._.times or [])
             if time.value and len(time.value) >= 7 and time.value[:4].isdigit()]
    result = []
    for gold in article.mentions:
        head = _head(doc, gold.start, gold.end)
        if head is None:
            result.append(EventMention(gold.id, article.name, article.text[gold.start:gold.end].lower(), frozenset()))
            continue
        keys = {key for start, end in _argument_spans(head) for m_start, m_end, key in located
                if m_start < end and start < m_end}
        sentence = head.sent
        date = next((value for start, value in dated if sentence.start_char <= start < sentence.end_char), None)
        result.append(EventMention(gold.id, article.name, head.lemma_.lower(), frozenset(keys), date))
    return result


def b_cubed(gold: dict[str, str], system: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall, F1 of a clustering (mention -> cluster) against gold."""
    gold_members, system_members = defaultdict(set), defaultdict(set)
    for mention, cluster in gold.items():
        gold_members[cluster].add(mention)
    for mention, cluster in system.items():
        system_members[cluster].add(mention)
    precision = recall = 0.0
    for mention in gold:
        in_gold, in_system = gold_members[gold[mention]], system_members[system[mention]]
        overlap = len(in_gold & in_system)
        precision += overlap / len(in_system)
        recall += overlap / len(in_gold)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def cross_document_links(gold: dict[str, str], system: dict[str, str], document: dict[str, str]) -> dict:
    """Precision/recall of same-event links between mentions of different articles."""
    def links(clusters: dict[str, str]) -> set[tuple[str, str]]:
        members = defaultdict(list)
        for mention, cluster in clusters.items():
            members[cluster].append(mention)
        return {(a, b) for group in members.values() for a, b in itertools.combinations(sorted(group), 2)
                if document[a] != document[b]}

    gold_links, system_links = links(gold), links(system)
    found = len(gold_links & system_links)
    return {**prf(found, len(system_links) - found, len(gold_links) - found), "gold_links": len(gold_links),
            "system_links": len(system_links)}


def _scores(gold, system, document) -> dict:
    return {"b_cubed": b_cubed(gold, system), "cross_document": cross_document_links(gold, system, document)}


def evaluate_event_identity(folder: Path, analyzer=None) -> dict:
    from onrecord.analyse.pipeline import Analyzer

    analyzer = analyzer or Analyzer.default()
    articles = read_corpus(folder)
    nlp = analyzer.nlp
    docs = []
    for article in articles:
        doc = nlp.make_doc(article.text)
        doc._.publication_date = article.creation_date
        doc._.anchors = {}
        doc._.warnings = []
        docs.append(doc)
    mentions = [mention for article, doc in zip(articles, nlp.pipe(docs, batch_size=16))
                for mention in system_mentions(article, doc)]
    gold = {m.id: m.instance for article in articles for m in article.mentions}
    document = {m.id: m.document for m in mentions}
    groups = group_events(mentions)
    system = {mention: f"g{number}" for number, group in enumerate(groups) for mention in group}
    by_lemma = {m.id: m.lemma for m in mentions}
    return {"onrecord": _scores(gold, system, document),
            "baseline_singletons": _scores(gold, {m: m for m in gold}, document),
            "baseline_same_lemma": _scores(gold, by_lemma, document),
            "mentions": len(gold), "documents": len(articles), "gold_events": len(set(gold.values()))}
