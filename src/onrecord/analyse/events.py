"""Events on the PLOVER ontology: who did what to whom, where and when, as the article reports it.

A trigger is a verb (or a noun naming an event) whose lemma is in data/event_triggers.toml, giving a
PLOVER type and a finer mode (docs/events.md). Its arguments come from the dependency parse: the subject
or "by"-agent is the actor; the object, or a "with"/"to"/"against"/"on" phrase, the target; the object is
the items instead when the event moves or makes things (transfer, purchase, production, deployment) or
names a product; an "in"/"at" phrase naming a place is the location. Arguments resolve to the record's
entities (onrecord_entities, coref); an argument that names no entity is left out. Each event also gets
the nearest time expression of its clause, its factuality (event_factuality), and whose word it is:
the source chain of the attribution whose content holds the trigger, else the outlet ([]).

onrecord records what articles report; nothing here locates, tracks or targets anything.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy
from spacy.attrs import POS
from spacy.language import Language
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from onrecord.analyse.coref import overlap_index
from onrecord.analyse.event_factuality import read_factuality, record_factuality
from onrecord.analyse.tokens import doc_text
from onrecord.model import Attribution, Event, Offsets, TimeExpression, TimeRef
from onrecord.model import Span as TextSpan

# Modes whose object is the thing moved, made or placed, not a party: it goes to `items`.
_ITEM_MODES = {"transfer", "purchase", "production", "deployment"}
# Prepositions whose object is the other party of the event.
_TARGET_PREPOSITIONS = {"with", "to", "against", "on", "upon", "toward", "towards", "into"}
_PLACE_PREPOSITIONS = {"in", "at", "near", "inside", "outside", "across", "within", "throughout"}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
# Types that are statements about another act (PLOVER codes the outer one: "agreed to withdraw" is AGREE).
_FIRST_PERSON = {"i", "we", "me", "us"}
# spaCy labels of names an argument may carry (numbers and quantities are not parties).
# Verbal acts about another act (PLOVER: agreements, demands, refusals, threats): their target is
# that act's target when they name none of their own.
_STATEMENT_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN"}
_RELATIVE_PRONOUNS = {"which", "that", "who", "whom"}
_PARTY_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
# Acts that take two sides: with one named ("was discussed with X"), a speaker's own words name the other.
_RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
_NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "NORP"}


@dataclass(frozen=True)
class TriggerSense:
    type: str
    mode: str | None


@dataclass
class EventFrame:
    """One event found in the parse, before its arguments are resolved to entities."""

    sense: TriggerSense
    trigger: Span
    actor: list[Span] = field(default_factory=list)
    target: list[Span] = field(default_factory=list)
    location: list[Span] = field(default_factory=list)
    items: list[Span] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """Steps from the trigger up to its sentence's root: the main event of a sentence is shallowest."""
        token, steps = self.trigger.root, 0
        while token.head.i != token.i and steps < 50:
            token, steps = token.head, steps + 1
        return steps


@lru_cache(maxsize=1)
def triggers() -> dict[str, dict[str, TriggerSense]]:
    with resources.files("onrecord.data").joinpath("event_triggers.toml").open("rb") as handle:
        table = tomllib.load(handle)
    senses = {}
    for part in ("verbs", "nouns"):
        senses[part] = {}
        for lemma, value in table[part].items():
            kind, _, mode = value.partition("/")
            senses[part][lemma] = TriggerSense(kind, mode or None)
    senses["frames"] = {lemma: TriggerSense(kind, None) for lemma, kind in table["frames"].items()}
    senses["with_clause"] = {lemma: TriggerSense(kind, None) for lemma, kind in table["verbs_with_clause"].items()}
    senses["compounds"] = {}
    for phrase, value in table["noun_compounds"].items():
        kind, _, mode = value.partition("/")
        senses["compounds"][phrase] = TriggerSense(kind, mode or None)
    senses["refusable"] = set(table["negated_becomes_reject"]["types"])
    # What a word must be for a phrase to start or end with it: most words cannot, and then their
    # children need not be read. "hand over" -> "hand"; "nuclear test" -> "test"; "fall of X" -> "fall".
    senses["verb_prefixes"] = {phrase[:i] for phrase in senses["verbs"] for i, c in enumerate(phrase) if c == " "}
    senses["compound_suffixes"] = {phrase[i + 1:] for phrase in senses["compounds"]
                                   for i, c in enumerate(phrase) if c == " "}
    senses["of_prefixes"] = {phrase[:i] for phrase in senses["compounds"] for i in _positions(phrase, " of ")}
    return senses


def _positions(text: str, part: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(part, i)]


# ---------------------------------------------------------------- triggers

def verb_sense(token: Token) -> tuple[TriggerSense, int] | None:
    """The sense of a verb trigger and the index of its last word (phrasal verbs reach further)."""
    if token.pos_ not in ("VERB",) and not (token.pos_ == "AUX" and token.lemma_ == "have"):
        return None
    verbs = triggers()["verbs"]
    lemma = token.lemma_.lower()
    for child in token.children if lemma in triggers()["verb_prefixes"] else ():
        if child.dep_ in ("prt", "prep", "dobj") and child.i > token.i:
            phrase = f"{lemma} {child.lower_}"
            if phrase in verbs:
                return verbs[phrase], max(token.i, child.i if child.dep_ == "prt" else token.i)
            for grandchild in child.children:
                longer = f"{lemma} {child.lower_} {grandchild.lower_}"
                if child.dep_ == "prep" and longer in verbs:
                    return verbs[longer], token.i
    sense = verbs.get(lemma)
    if lemma in triggers()["with_clause"] and any(_is_infinitive_clause(c) for c in token.children):
        sense = triggers()["with_clause"][lemma]
    if sense and sense.type in triggers()["refusable"] and any(c.dep_ == "neg" for c in token.children):
        sense = TriggerSense("REJECT", sense.type.lower())
    return (sense, token.i) if sense else None


def _is_infinitive_clause(token: Token) -> bool:
    """'... ordered the company to release': an order; 'tells us that ...' is a report, not an order."""
    return token.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def noun_sense(token: Token) -> TriggerSense | None:
    if token.pos_ != "NOUN" or token.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
        return None
    compounds = triggers()["compounds"]
    lemma = token.lemma_.lower()
    may_head_compound = lemma in triggers()["compound_suffixes"] or token.lower_ in triggers()["of_prefixes"]
    for child in token.children if may_head_compound else ():
        if child.dep_ in ("compound", "amod") and f"{child.lower_} {token.lemma_.lower()}" in compounds:
            return compounds[f"{child.lower_} {token.lemma_.lower()}"]
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if f"{token.lower_} of {pobj.lower_}" in compounds:
                    return compounds[f"{token.lower_} of {pobj.lower_}"]
    return triggers()["nouns"].get(token.lemma_.lower())


def find_frames(doc: Doc) -> list[EventFrame]:
    """Every event frame of the doc in text order, arguments as spans of the parse."""
    frames = []
    # Only verbs (and "have") can be verb triggers and only nouns noun triggers: the part-of-speech
    # column picks them out without building a Token object for every word of the doc.
    pos = doc.to_array(POS) if len(doc) else numpy.zeros(0, dtype=numpy.uint64)
    may_be_verb = numpy.isin(pos, (VERB, AUX))
    candidates = numpy.flatnonzero(may_be_verb | (pos == NOUN)).tolist()
    sentence_ends = [sentence.end for sentence in doc.sents]
    first = 0
    for end in sentence_ends:
        last = bisect_left(candidates, end, first)
        tokens = [doc[i] for i in candidates[first:last]]
        first = last
        verb_triggers = {}
        for token in tokens:
            found = verb_sense(token) if may_be_verb[token.i] else None
            if found:
                verb_triggers[token.i] = found
        for token in tokens:
            if token.i in verb_triggers:
                sense, last_word = verb_triggers[token.i]
                if _under_frame(token, verb_triggers):
                    continue
                frames.append(_verb_frame(doc, token, sense, last_word))
            else:
                sense = noun_sense(token)
                if sense and not _governed_by_trigger(token, verb_triggers) and not _in_time(token):
                    frames.append(_noun_frame(doc, token, sense))
    return frames


def _in_time(token: Token) -> bool:
    """Nouns inside time expressions ("the third day of the invasion") date events, they are not ones."""
    return token.ent_type_ in ("DATE", "TIME") or any(
        t.start <= token.idx < t.end for t in (token.doc._.times or []))


def _under_frame(token: Token, verb_triggers: dict) -> bool:
    """An event embedded in a statement PLOVER codes ("agreed to withdraw"): the outer one stands."""
    frames = triggers()["frames"]
    return (token.dep_ in ("xcomp", "ccomp") and token.head.i in verb_triggers
            and token.head.lemma_.lower() in frames)


def _governed_by_trigger(token: Token, verb_triggers: dict) -> bool:
    """A noun that is the object of a verb trigger ("imposed sanctions") is part of that event."""
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "attr") and head.i in verb_triggers:
        return True
    return token.dep_ == "pobj" and head.head.i in verb_triggers and head.head.i != token.i and \
        head.lower_ in ("for", "of")


def _verb_frame(doc: Doc, verb: Token, sense: TriggerSense, last: int) -> EventFrame:
    frame = EventFrame(sense, doc[verb.i:last + 1])
    moves_things = sense.mode in _ITEM_MODES
    subjects = _subjects(verb)
    for child in verb.children:
        if child.dep_ == "agent":
            frame.actor += [_phrase(pobj) for pobj in _objects_of(child)]
        elif child.dep_ in _PASSIVE_SUBJECTS:
            (frame.items if moves_things else frame.target).extend(_phrase(t) for t in _with_conjuncts(child))
        elif child.dep_ == "dobj":
            for obj in _with_conjuncts(child):
                is_item = moves_things or obj.ent_type_ == "PRODUCT"
                (frame.items if is_item else frame.target).append(_phrase(obj))
        elif child.dep_ in ("dative", "iobj"):
            frame.target += [_phrase(t) for t in (_objects_of(child) or [child])]
        elif child.dep_ == "prep":
            _prepositional(frame, child)
    if moves_things:  # "bought systems from Russia" often hangs the source on the object's phrase
        for obj in (t for c in verb.children if c.dep_ == "dobj" for t in _with_conjuncts(c)):
            for prep in (t for t in obj.subtree if t.dep_ == "prep" and t.lower_ in ("from", "to")):
                _prepositional(frame, prep)
    if not frame.target and sense.type in _STATEMENT_TYPES:
        frame.target = _embedded_targets(doc, verb, sense)
    if sense.mode == "purchase":
        # A purchase is recorded as a transfer: the seller ("from X") acts, the buyer receives.
        sellers = [span for span in frame.target if span.root.head.lower_ == "from"]
        frame.target = [span for span in frame.target if span not in sellers] + [_phrase(s) for s in subjects]
        frame.actor += sellers
    else:
        frame.actor += [_phrase(s) for s in subjects]
    return frame


def _embedded_targets(doc: Doc, verb: Token, sense: TriggerSense) -> list[Span]:
    """"threatened to impose sanctions on X": a statement about an act is aimed at that act's target."""
    for child in verb.children:
        if child.dep_ == "xcomp" or (child.dep_ == "ccomp" and any(c.lower_ == "to" for c in child.children)):
            inner = _verb_frame(doc, child, TriggerSense(sense.type, None), child.i)
            return inner.target
    return []


def _prepositional(frame: EventFrame, prep: Token) -> None:
    word = prep.lower_
    for pobj in _objects_of(prep):
        if _in_time(pobj):
            continue  # "on Tuesday" dates the event, it is no party to it
        if word in _PLACE_PREPOSITIONS and _may_be_place(pobj):
            frame.location.append(_phrase(pobj))
        elif word in _TARGET_PREPOSITIONS or (word == "from" and frame.sense.mode == "purchase"):
            frame.target.append(_phrase(pobj))
        elif word == "of" and frame.sense.mode in _ITEM_MODES:
            frame.items.append(_phrase(pobj))


def _may_be_place(token: Token) -> bool:
    """A named place, or a phrase that may refer to one ("the airfield"): kept only if it resolves to
    a GPE/LOC/FAC entity."""
    return token.ent_type_ in _PLACE_TYPES or any(t.ent_type_ in _PLACE_TYPES for t in _phrase(token)) or \
        (token.pos_ in ("NOUN", "PROPN") and any(t.lower_ in ("the", "this", "that") for t in token.lefts))


def _noun_frame(doc: Doc, noun: Token, sense: TriggerSense) -> EventFrame:
    frame = EventFrame(sense, doc[noun.i:noun.i + 1])
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "amod") and child.ent_type_ in ("GPE", "NORP", "ORG")):
            frame.actor.append(_phrase(child))
        elif child.dep_ == "prep" and child.lower_ == "by":
            frame.actor += [_phrase(p) for p in _objects_of(child)]
        elif child.dep_ == "prep" and child.lower_ == "of":
            bucket = frame.items if sense.mode in _ITEM_MODES else frame.target
            bucket += [_phrase(p) for p in _objects_of(child)]
        elif child.dep_ == "prep":
            _prepositional(frame, child)
    if not frame.actor:
        frame.actor = [_phrase(s) for s in _subjects(_governing_verb(noun))] if _governing_verb(noun) else []
    return frame


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose subject does what the noun names: "X held talks", "At a meeting with Y, X said"."""
    head = noun.head
    if noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, or those of the verb it is an xcomp/conj/advcl of ("agreed to set up")."""
    current = verb
    for _ in range(4):
        found = [c for c in current.children if c.dep_ in _SUBJECTS]
        if found and current.dep_ == "relcl" and found[0].lower_ in _RELATIVE_PRONOUNS:
            # "the bank, which appealed": the bank appealed. After a prepositional phrase ("launched
            # from X, which hit ...") the clause may belong to an earlier noun: no actor then.
            found = [current.head] if current.head.dep_ != "pobj" else []
        if found:
            return [t for s in found for t in _with_conjuncts(s)]
        if current.dep_ not in ("xcomp", "conj", "advcl", "ccomp") or current.head.i == current.i:
            return []
        if current.dep_ == "ccomp":
            return []
        current = current.head
    return []


def _objects_of(prep: Token) -> list[Token]:
    return [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in _with_conjuncts(c)]


def _with_conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found += _with_conjuncts(child)
    return found


def _phrase(token: Token) -> Span:
    """The noun phrase a head token stands for, without its clauses and prepositional tails."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ not in ("punct", "cc", "preconj", "prep"):
            start = min(start, child.left_edge.i)
    end = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "flat", "nummod", "appos") and child.i == end + 1:
            end = child.right_edge.i
    return doc[start:end + 1]


# ---------------------------------------------------------------- resolution onto the record

def _coref():
    try:
        from onrecord.analyse import coref
    except ImportError:  # entities are switched off or not installed: events go without them
        return None
    return coref


def entity_id(doc: Doc, phrase: Span, speaker: str | None = None) -> str | None:
    """The entity a phrase refers to; a first person inside a quote is its speaker; None if no entity."""
    if phrase.root.lower_ in _FIRST_PERSON and speaker is not None:
        return speaker
    named = _person_named_in(doc, phrase)
    if named is not None:
        return named
    coref = _coref()
    start, end = phrase.start_char, phrase.end_char
    if coref is not None:
        found = coref.resolve_reference(doc, start, end)
        if found is not None:
            return found
        if any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_TYPES for t in phrase) and phrase.root.pos_ != "PRON":
            return coref.entity_for_phrase(doc, start, end)
        return None
    return _overlapping_entity(doc, start, end)


def _person_named_in(doc: Doc, phrase: Span) -> str | None:
    """'the governor of the region Denis Pasler': a role noun whose phrase names exactly one person."""
    root = phrase.root
    if root.pos_ not in ("NOUN", "PROPN") or _overlapping_entity(doc, phrase.start_char, phrase.end_char):
        return None
    inside = (root.left_edge.idx, root.right_edge.idx + len(root.right_edge))
    entities = doc._.entities or []
    people = {entities[position].id for _, _, factor, position in overlap_index(entities).within(*inside)
              if factor == 2 and entities[position].type == "PERSON"}  # factor 2: a name mention
    return people.pop() if len(people) == 1 else None


def _entity_type(doc: Doc, entity: str) -> str | None:
    return next((e.type for e in doc._.entities or [] if e.id == entity), None)


def _overlapping_entity(doc: Doc, start: int, end: int) -> str | None:
    """The first entity (in the list's order) with a mention overlapping [start, end)."""
    entities = doc._.entities or []
    positions = [row[3] for row in overlap_index(entities).overlapping(start, end)]
    return entities[min(positions)].id if positions else None


def attribution_for(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The innermost attribution whose content (or one of its parts) holds [start, end)."""
    holding = [a for a in attributions
               if any(p.start <= start and end <= p.end for p in (a.content.parts or [a.content]))]
    return min(holding, key=lambda a: a.content.end - a.content.start, default=None)


def _attribution_finder(attributions: list[Attribution]):
    """attribution_for over the same attributions for many events: their parts' offsets read once."""
    parts = [(part.start, part.end, a.content.end - a.content.start, a)
             for a in attributions for part in (a.content.parts or [a.content])]

    def attribution_at(start: int, end: int) -> Attribution | None:
        holding = [(size, a) for part_start, part_end, size, a in parts if part_start <= start and end <= part_end]
        return min(holding, key=lambda pair: pair[0], default=(0, None))[1]
    return attribution_at


def time_for(frame: EventFrame, times: list[TimeExpression],
             spans: list[tuple[TimeExpression, Span | None]] | None = None) -> TimeRef | None:
    """The time expression of the trigger's sentence closest to it in the parse. `spans`: each
    expression with its Span (`_time_spans`), when the caller has them for every frame of the doc."""
    sentence = frame.trigger.sent
    doc = frame.trigger.doc
    in_sentence = []
    for expression, span in spans if spans is not None else _time_spans(doc, times):
        if span is not None and sentence.start_char <= expression.start and expression.end <= sentence.end_char:
            in_sentence.append((expression, span))
    best = None
    # A time of another clause dates another event; a relative clause ("a rocket was launched ...,
    # which hit ...") takes the time of the clause it hangs on when it has none of its own.
    for clause in _clause_chain(frame.trigger.root):
        own = [(e, s) for e, s in in_sentence if _clause_verb(s.root) == clause]
        if own:
            best = min(own, key=lambda pair: _tree_distance(pair[1].root, frame.trigger.root))[0]
            break
    if best is None:
        return None
    offset = best.start - sentence.start_char  # the sentence's text is cheaper than the whole doc's
    preposition = sentence.text[max(0, offset - 30):offset].split()
    prefix = preposition[-1] + " " if best.relation and best.relation != "at" and preposition else ""
    if best.relation == "before" and len(preposition) >= 3 and preposition[-1] in ("than",):
        prefix = " ".join(preposition[-3:]) + " "
    return TimeRef(text=prefix + best.text, value=best.value, relation=best.relation)


def _time_spans(doc: Doc, times: list[TimeExpression]) -> list[tuple[TimeExpression, Span | None]]:
    return [(expression, doc.char_span(expression.start, expression.end, alignment_mode="expand"))
            for expression in times]


def _clause_chain(token: Token) -> list[int]:
    """The trigger's clause verb, then those of the clauses it hangs on through relative clauses."""
    chain = [_clause_verb(token)]
    verb = token.doc[chain[0]]
    while verb.dep_ in ("relcl", "acl") and len(chain) < 4:
        chain.append(_clause_verb(verb.head))
        verb = verb.doc[chain[-1]]
    return chain


def _clause_verb(token: Token) -> int:
    """The verb heading the token's clause, counting "wants to produce" as one clause."""
    steps = 0
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i and steps < 30:
        token, steps = token.head, steps + 1
    while token.dep_ == "xcomp" and steps < 40:
        token, steps = token.head, steps + 1
    return token.i


def _tree_distance(a: Token, b: Token) -> int:
    path_a = _path_to_root(a)
    path_b = _path_to_root(b)
    common = next((i for i in path_a if i in path_b), None)
    if common is None:
        return 100 + abs(a.i - b.i)
    return path_a.index(common) + path_b.index(common)


def _path_to_root(token: Token) -> list[int]:
    path = [token.i]
    while token.head.i != token.i and len(path) < 60:
        token = token.head
        path.append(token.i)
    return path


def build_events(doc: Doc) -> list[Event]:
    """The doc's events as record Events, numbered v1, v2 ... in text order."""
    attributions = doc._.attributions or []
    times = doc._.times or []
    time_spans = _time_spans(doc, times)  # once per doc, not once per event
    attribution_at = _attribution_finder(attributions)
    events = []
    for frame in find_frames(doc):
        trigger = frame.trigger
        attribution = attribution_at(trigger.start_char, trigger.end_char)
        speaker = attribution.source_chain[0] if attribution and attribution.source_chain else None
        roles = {}
        for role in ("actor", "target", "location", "items"):
            ids = [entity_id(doc, phrase, speaker) for phrase in getattr(frame, role)]
            if role == "location":
                ids = [i for i in ids if _entity_type(doc, i) in _PLACE_TYPES]
            elif role == "items":  # things moved or made; a party here is a misparse
                ids = [i for i in ids if _entity_type(doc, i) not in _PARTY_TYPES]
            roles[role] = list(dict.fromkeys(i for i in ids if i is not None))
        if not roles["actor"] and _speaker_is_implicit_party(frame, attribution):
            roles["actor"] = [speaker]
        reading = read_factuality(trigger.root)
        sentence = trigger.sent
        events.append(Event(
            id=f"v{len(events) + 1}", type=frame.sense.type, mode=frame.sense.mode,
            trigger=TextSpan(start=trigger.start_char, end=trigger.end_char, text=trigger.text),
            **roles, time=time_for(frame, times, time_spans), factuality=record_factuality(reading),
            attributed_to=list(attribution.source_chain) if attribution else [],
            attribution=attribution.id if attribution else None,
            condition=_condition_span(doc, reading.condition),
            evidence=Offsets(start=sentence.start_char, end=sentence.end_char)))
        events[-1].promise = is_promise(events[-1])
    return events


def _speaker_is_implicit_party(frame: EventFrame, attribution: Attribution | None) -> bool:
    """'The matter was discussed with X', in the speaker's own direct words: the speaker took part."""
    verb = frame.trigger.root
    passive = any(c.dep_ == "auxpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)
    return (frame.sense.type in _RECIPROCAL_TYPES and passive and bool(frame.target)
            and attribution is not None and attribution.kind == "direct" and bool(attribution.source_chain))


def _condition_span(doc: Doc, offsets: tuple[int, int] | None) -> TextSpan | None:
    if offsets is None:
        return None
    start, end = offsets
    return TextSpan(start=start, end=end, text=doc_text(doc)[start:end])


def is_promise(event: Event) -> bool:
    """A future event someone committed to with a deadline: promised or intended, by a speaker (or by
    a promise verb), and dated "before" a value ("by the end of the year")."""
    has_deadline = event.time is not None and event.time.relation == "before"
    committed = event.factuality == "promised" or (event.factuality == "intended" and bool(event.attributed_to))
    return has_deadline and committed


@Language.component("onrecord_events", assigns=["doc._.events"])
def events_component(doc: Doc) -> Doc:
    """Write doc._.events: PLOVER events with arguments, time, factuality and attribution."""
    doc._.events = build_events(doc)
    return doc
