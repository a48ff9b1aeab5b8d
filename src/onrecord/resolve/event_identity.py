"""Cross-document event identity: mentions of one real-world event in several articles grouped.

Two event mentions are taken for the same event when their triggers have the same lemma, they
share at least one participant (a corpus entity key), and their dates, when both are known, fall
in the same month. Identity is transitive (a mention joins a group through any one member).
Pure functions: callers turn their events (a record's, or gold mentions) into `EventMention`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventMention:
    id: str
    document: str
    lemma: str  # of the trigger's head word, lower case
    participants: frozenset[str]  # corpus entity keys of actors, targets and other arguments
    date: str | None = None  # YYYY-MM-DD or a prefix, when the text says when


def _month(date: str | None) -> str | None:
    return date[:7] if date and len(date) >= 7 else None


def same_event(first: EventMention, second: EventMention) -> bool:
    if first.lemma != second.lemma or not (first.participants & second.participants):
        return False
    first_month, second_month = _month(first.date), _month(second.date)
    return first_month is None or second_month is None or first_month == second_month


def group_events(mentions: Iterable[EventMention]) -> list[list[str]]:
    """Groups of mention ids, each group one event; every mention is in exactly one group."""
    mentions = list(mentions)
    parent = {mention.id: mention.id for mention in mentions}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    # Only mentions sharing a lemma and a participant can match: compare within those blocks.
    blocks: dict[tuple[str, str], list[EventMention]] = defaultdict(list)
    for mention in mentions:
        for participant in mention.participants:
            blocks[(mention.lemma, participant)].append(mention)
    for block in blocks.values():
        for index, first in enumerate(block):
            for second in block[index + 1:]:
                if root(first.id) != root(second.id) and same_event(first, second):
                    parent[root(second.id)] = root(first.id)
    groups: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        groups[root(mention.id)].append(mention.id)
    return list(groups.values())
