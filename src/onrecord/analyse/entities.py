"""Entities: one Entity per real-world thing named in an article, with its mentions, aliases and roles.

The component `onrecord_entities` runs after spaCy's NER and
1. collects name mentions: NER's entities, repaired where the small model is known to go wrong
   (a country glued to a person's name, a product tagged ORG), plus designations ("S-400", "A320"),
   names with a telling head noun ("Gomel region", "X project", "Y missile system"), gazetteer
   countries and news agencies;
2. clusters the mentions of one thing: equal transliteration-folded keys, a surname after a full
   name, "the X project" with X, a demonym with its country inside a name ("Belarusian X" = "Belarus X");
3. reads roles, links places, and adds pronoun and description mentions (coref.py).
It writes `doc._.entities` only; `doc.ents` is left as the model made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import ENT_TYPE, IS_STOP, IS_TITLE, IS_UPPER, POS
from spacy.lang.en import English
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span

from onrecord.analyse import coref, roles
from onrecord.analyse.names import (
    code_key,
    is_acronym_of,
    name_key,
    name_words,
    person_names_match,
    read_data_lines,
)
from onrecord.analyse.places import demonyms, gazetteer, is_country, place_for
from onrecord.analyse.tokens import column, doc_tokens, release, span_text, tokens_where
from onrecord.model import Entity, Mention

# NER labels that name entities; numbers, dates and quantities are left to other components.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "EVENT", "WORK_OF_ART", "LAW"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}

# Letter-digit designations of models and products: "S-400", "T-72", "Su-25", "MiG-29", "A320",
# "F-16", "737". The hyphenated form needs a capital first; the joined form needs two digits so that
# "G7", "B2" style abbreviations of groups and paper sizes stay out.
_DESIGNATION = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}-\d{1,4}[A-Za-z]{0,3}|[A-Z]{1,3}\d{2,4}[A-Za-z]{0,3})s?$")
_NUMBER_MODEL = re.compile(r"^\d{3}s?$")
# Brand names in lower camel case are products by a naming convention of the trade: "iPhone",
# "iPod", "iMac", "iOS", "eReader".
_CAMEL_PRODUCT = re.compile(r"^[ie][A-Z][A-Za-z]+s?$")
# What every designation and camel name has: one cheap test before the full patterns.
_MAY_BE_DESIGNATION = re.compile(r"\d|^[ie][A-Z]")


@dataclass
class NameMention:
    """A name found in the text before clustering. `strength` orders sources when spans overlap:
    2 for patterns and gazetteers that also fix the type, 1 for the model's own entities."""

    start: int  # token index
    end: int
    label: str
    strength: int = 1
    char_start: int = 0
    char_end: int = 0


def _text(doc: Doc, mention: NameMention) -> str:
    return span_text(doc_tokens(doc), mention.start, mention.end)


@dataclass
class Cluster:
    mentions: list[NameMention] = field(default_factory=list)
    label: str = "OTHER"
    votes: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def entity_heads() -> dict[tuple[str, ...], tuple[str, bool]]:
    """Head-noun lemmas (as a tuple of words) -> (type, whether the head belongs to the name)."""
    heads = {}
    for line in read_data_lines("entity_heads.tsv"):
        head, label, span = line.split("\t")
        heads[tuple(head.lower().split())] = (label, span == "with")
    return heads


@lru_cache(maxsize=1)
def descriptor_nouns() -> dict[str, str]:
    """Lemma of a descriptive noun ("studio", "browser") -> the type of the name it describes."""
    return dict(line.split("\t")[:2] for line in read_data_lines("descriptor_nouns.tsv"))


@lru_cache(maxsize=1)
def news_agencies() -> frozenset[str]:
    return frozenset(read_data_lines("news_agencies.txt"))


def is_demonym(text: str) -> bool:
    return text.lower() in demonyms()


# ---------------------------------------------------------------- recognition


def name_mentions(doc: Doc) -> list[NameMention]:
    """Name mentions of the doc, overlaps resolved (stronger, then longer, wins)."""
    found = [*_model_mentions(doc), *_designations(doc), *_headed_names(doc), *_listed_names(doc)]
    found = _without_overlaps(found)
    found = _without_overlaps([*found, *_conjuncts(doc, found)])
    for mention in found:
        mention.char_start = doc[mention.start].idx
        mention.char_end = doc[mention.end - 1].idx + len(doc[mention.end - 1])
    return found


def _conjuncts(doc: Doc, found: list[NameMention]):
    """A capitalised proper noun the model missed, coordinated with a name it found, is a name of
    the same type: "GM and Chrysler", "Renault, Opel and Fiat"."""
    label_at = {i: m.label for m in found for i in range(m.start, m.end)}
    for token in tokens_where(doc, (column(doc, POS) == PROPN) & (column(doc, IS_TITLE) == 1)):
        if token.i in label_at or token.pos_ != "PROPN" or not token.is_title or token.is_sent_start:
            continue
        partners = [token.head] if token.dep_ == "conj" else []
        partners += [child for child in token.children if child.dep_ == "conj"]
        labels = {label_at[p.i] for p in partners if p.i in label_at}
        if len(labels) == 1 and (label := labels.pop()) in {"ORG", "GPE", "PRODUCT", "PERSON"}:
            end = token.i + 1
            start = token.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].is_title \
                    and doc[start - 1].i not in label_at:
                start -= 1
            yield NameMention(start, end, label, 1)


def _model_mentions(doc: Doc):
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        yield from _repaired(doc, ent)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    # "the Russian Federation": the article is not part of the name; neither is a possessive "'s".
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_space):
        end -= 1
    return start, end


def _repaired(doc: Doc, ent: Span):
    """The model's entity with its known mistakes fixed: the article dropped, a country glued in
    front of a name split off ("Kazakhstan Kassym-Jomart Tokayev"), a known place re-typed."""
    start, end = _trim(doc, ent.start, ent.end)
    if start >= end:
        return
    label = ent.label_
    if label != "PRODUCT" and not any(ch.isupper() for token in doc[start:end] for ch in token.text):
        return  # "140bn", "2009": a number the model took for a name; names have a capital somewhere
    country = _country_before_name(doc, start, end)
    if country and (label == "PERSON" or (label == "ORG" and _after_title(doc, start))):
        # "Kazakhstan Kassym-Jomart Tokayev", "[Minister of] Health of Ukraine Olena Kovalenko": the
        # words before the country belong to the title, not to a name.
        yield NameMention(country[0], country[1], "GPE", 2)
        yield NameMention(country[1], end, "PERSON", 2)
        return
    text = span_text(doc_tokens(doc), start, end)
    if label in {"ORG", "NORP", "PERSON", "LOC"} and not is_demonym(text):
        entry = gazetteer().get(text)
        # Only a country outweighs the model's ORG or PERSON: companies and people share names
        # with cities (Toyota, Gao, Mobile).
        if entry is not None and (entry.kind == "country" or label in {"NORP", "LOC"} or _after_locative(doc, start)):
            yield NameMention(start, end, "GPE", 2 if entry.kind == "country" or label == "PERSON" else 1)
            return
    if text in news_agencies():
        label = "ORG"
    elif is_demonym(text) and label != "NORP":
        label = "NORP"  # "the Moldovan state company": the small model sometimes tags it PERSON
    yield NameMention(start, end, label)


_LOCATIVES = {"in", "to", "from", "near", "at", "into", "outside", "across"}


def _after_locative(doc: Doc, start: int) -> bool:
    # "arrived in Kyiv": a known place after a locative preposition is that place, whatever the
    # model's guess (the small model tags some capitals PERSON).
    return start > 0 and doc[start - 1].lower_ in _LOCATIVES


def _country_before_name(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of a country name inside the span that is followed only by capitalised
    words up to the span's end, which then look like a person's name."""
    tokens = doc_tokens(doc)
    for country_start in range(start, end - 1):
        for country_end in range(min(end - 1, country_start + 4), country_start, -1):
            rest = tokens[country_end:end]
            if len(rest) > 4 or not all(t.is_title and t.pos_ == "PROPN" for t in rest) or is_demonym(rest[0].text):
                continue
            if is_country(span_text(tokens, country_start, country_end)):
                return country_start, country_end
    return None


def _after_title(doc: Doc, start: int) -> bool:
    # "the governor of the Sverdlovsk region of the Russian Federation Denis Pasler": a role
    # word shortly before means the span ends in a person's name.
    return any(roles.is_role_word(doc[i]) for i in range(max(0, start - 12), start))


def _designations(doc: Doc):
    """Product designations: letter-digit codes ("S-400", "A330-200"), "Boeing 737", "737 MAX",
    lower-camel product names ("iPhone 4"), and "Kirov-class"."""
    tokens = doc_tokens(doc)
    for token in tokens:
        text = token.text
        if not _MAY_BE_DESIGNATION.search(text):
            # Only "Kirov-class" is left for a word without digits or a lower-camel start.
            if token.is_title and token.i + 2 < len(tokens) and tokens[token.i + 1].text == "-" \
                    and tokens[token.i + 2].lower_ in {"type", "class"}:
                yield NameMention(token.i, token.i + 1, "PRODUCT", 2)
            continue
        if _DESIGNATION.match(text) or _CAMEL_PRODUCT.match(text):
            start, end = token.i, _with_code_tail(doc, token.i + 1)
            # "Airbus A320": a capitalised maker before the code belongs to the name.
            if _DESIGNATION.match(text) and start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN":
                start -= 1
            yield NameMention(start, _with_model_suffix(doc, end), "PRODUCT", 2)
        elif _NUMBER_MODEL.match(text) and token.i > 0 and doc[token.i - 1].pos_ == "PROPN" \
                and doc[token.i - 1].is_title and doc[token.i - 1].ent_type_ in {"ORG", "PRODUCT", ""}:
            end = _with_code_tail(doc, token.i + 1)
            yield NameMention(token.i - 1, _with_model_suffix(doc, end), "PRODUCT", 2)
        elif _NUMBER_MODEL.match(text) and token.i + 1 < len(doc) and _is_model_suffix(doc[token.i + 1]):
            yield NameMention(token.i, token.i + 2, "PRODUCT", 2)


def _with_code_tail(doc: Doc, end: int) -> int:
    """Extend a code over a hyphenated variant number ("737-800", "A330-200") or a version
    number after a product name ("iPhone 4", "iOS 5")."""
    if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].is_digit and not doc[end].whitespace_ \
            and not doc[end - 1].whitespace_:
        return end + 2
    if end < len(doc) and doc[end].is_digit and len(doc[end]) <= 2 and _CAMEL_PRODUCT.match(doc[end - 1].text):
        return end + 1
    return end


def _is_model_suffix(token) -> bool:
    # "737 MAX", "787 Dreamliner", "A350 XWB": a capitalised word right after a model number (the
    # small model tags an unknown one NOUN); a capital at a sentence start says nothing.
    return (token.is_upper and len(token) > 1 and token.is_alpha) or \
        (token.is_title and token.pos_ in {"PROPN", "NOUN"} and not token.is_sent_start)


def _with_model_suffix(doc: Doc, end: int) -> int:
    # Up to two capitalised words after the model: "iTunes Music Store", "A350 XWB".
    for _ in range(2):
        if end < len(doc) and _is_model_suffix(doc[end]):
            end += 1
    return end


def _headed_names(doc: Doc):
    """Capitalised words before a telling head noun: "Gomel region" (GPE, head included),
    "Machulishchy military airfield" (FAC), "Patriot missile systems" (PRODUCT, head excluded)."""
    heads = entity_heads()
    for token in tokens_where(doc, column(doc, IS_TITLE) == 1):  # a proper run is capitalised
        if not _starts_proper_run(token):
            continue
        run_end = token.i + 1
        while run_end < len(doc) and _in_proper_run(doc[run_end]):
            run_end += 1
        start = token.i
        while start >= 2 and doc[start - 1].text == "-" and doc[start - 2].is_title \
                and not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_:
            start -= 2  # "Ivano-Frankivsk region": a hyphenated name is three tokens
        while start < run_end and (is_demonym(doc[start].text) and doc[start].ent_type_ == "NORP"):
            start += 1  # "American Patriot missiles": the demonym is not part of the product's name
        if start >= run_end:
            continue
        found = _head_after(doc, run_end, heads)
        if found is None:
            continue
        label, include, head_end = found
        if label in {"ORG", "PRODUCT"} and all(is_country(t.text) or is_demonym(t.text) for t in doc[start:run_end]):
            continue  # "the Russian agency", "Belarus project" are descriptions, not names
        if label == "PRODUCT" and doc[run_end - 1].ent_type_ == "ORG":
            continue  # "Intel processors", "Airbus aircraft": the maker, not the product's name
        yield NameMention(start, head_end if include else run_end, label, 2)


def _starts_proper_run(token) -> bool:
    return _in_proper_run(token) and (token.i == 0 or not _in_proper_run(token.doc[token.i - 1]))


def _in_proper_run(token) -> bool:
    return token.pos_ == "PROPN" and token.is_title or (token.is_title and token.ent_type_ in ENTITY_LABELS
                                                        and not token.is_sent_start)


def _head_after(doc: Doc, i: int, heads) -> tuple[str, bool, int] | None:
    """A head noun within three lower-case nouns and adjectives after a name (longest head wins)."""
    tokens = doc_tokens(doc)
    # Only the lower-case nouns and adjectives right after the name can hold the head.
    stop = i
    while stop < min(len(tokens), i + 4) and tokens[stop].is_lower and tokens[stop].pos_ in {"NOUN", "ADJ", "PROPN"}:
        stop += 1
    for end in range(stop, i, -1):
        words = [t.lemma_.lower() for t in tokens[i:end]]
        for size in (2, 1):
            head = tuple(words[-size:])
            if len(words) >= size and head in heads:
                label, include = heads[head]
                return label, include, end
    return None


def _listed_names(doc: Doc):
    """News agencies (spaCy's PhraseMatcher over data/news_agencies.txt, case-sensitive) and
    countries the model missed (one gazetteer dict look-up per capitalised proper noun)."""
    for _, start, end in _agency_matcher(doc.vocab)(doc):
        yield NameMention(start, end, "ORG", 2)
    capitalised = (column(doc, IS_TITLE) == 1) | (column(doc, IS_UPPER) == 1)
    for token in tokens_where(doc, capitalised & (column(doc, ENT_TYPE) == 0) & (column(doc, IS_STOP) == 0)):
        if token.ent_type_ or not (token.is_title or token.is_upper) or token.is_stop:
            continue
        if token.pos_ == "PROPN" and is_country(token.text) and not is_demonym(token.text):
            yield NameMention(token.i, token.i + 1, "GPE", 1)


_AGENCY_MATCHERS: dict[int, PhraseMatcher] = {}


def _agency_matcher(vocab) -> PhraseMatcher:
    """One PhraseMatcher of agency names per vocabulary (per loaded pipeline), built on first use."""
    matcher = _AGENCY_MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = PhraseMatcher(vocab, attr="ORTH")
        tokenizer = English(vocab=vocab).tokenizer  # English's rules, as the pipeline's: "ITAR", "-", "TASS"
        matcher.add("NEWS_AGENCY", [tokenizer(name) for name in sorted(news_agencies())])
        _AGENCY_MATCHERS[id(vocab)] = matcher
    return matcher


def _without_overlaps(found: list[NameMention]) -> list[NameMention]:
    kept: list[NameMention] = []
    taken: set[int] = set()
    for mention in sorted(found, key=lambda m: (-m.strength, -(m.end - m.start), m.start)):
        if mention.end <= mention.start or taken.intersection(range(mention.start, mention.end)):
            continue
        kept.append(mention)
        taken.update(range(mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


# ---------------------------------------------------------------- clustering


def core_name(text: str, label: str) -> str:
    """The name without what only describes it: "the Ukraine War Monitor project" -> "Ukraine War Monitor",
    "S-400s" -> "S-400", "Tokayev's" -> "Tokayev"."""
    words = name_words(text)
    if label == "ORG" and len(words) > 1 and (words[-1].lower(),) in entity_heads() \
            and entity_heads()[(words[-1].lower(),)][0] == "ORG":
        words = words[:-1]
    if label == "PRODUCT" and words and words[-1].endswith("s") and len(words[-1]) > 3 \
            and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


@lru_cache(maxsize=1)
def corporate_designators() -> tuple[tuple[str, ...], ...]:
    """Legal-form endings of company names as lower-case word tuples, longest first."""
    endings = {tuple(line.lower().replace(".", "").split()) for line in read_data_lines("corporate_designators.txt")}
    return tuple(sorted(endings, key=len, reverse=True))


def _without_designators(words: list[str]) -> list[str]:
    lowered = [w.lower().replace(".", "") for w in words]
    for ending in corporate_designators():
        if len(words) > len(ending) and tuple(lowered[-len(ending):]) == ending:
            return words[:-len(ending)]
    return words


@lru_cache(maxsize=65536)
def matching_key(text: str, label: str) -> str:
    """The key names are clustered by: legal-form endings of companies dropped ("Ford Motor
    Company" = "Ford"), demonyms folded to their place, then transliteration-folded; designations
    keep only letters and digits."""
    core = core_name(text, label)
    if label == "PRODUCT" and any(ch.isdigit() for ch in core):
        return code_key(core)
    places = demonyms()
    words = _without_designators(name_words(core)) if label == "ORG" else name_words(core)
    if label == "NORP" and len(words) == 1 and words[0].endswith("s") and words[0][:-1].lower() in places:
        words = [words[0][:-1]]  # "Russians" and "Russian" name one people
    if len(words) > 1:
        words = [places.get(w.lower(), w) for w in words]
    return name_key(" ".join(words))


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    pair = {a, b}
    return pair <= PLACE_LABELS or pair <= {"ORG", "PRODUCT", "GPE", "LOC", "NORP", "FAC"} and "PERSON" not in pair


def cluster_mentions(doc: Doc, mentions: list[NameMention]) -> list[Cluster]:
    """Group name mentions that name one thing, in order of first mention."""
    _spread_product_type(doc, mentions)
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    for mention in mentions:
        text = _text(doc, mention)
        key = place_key(text, mention.label) or matching_key(text, mention.label)
        cluster = by_key.get(key)
        if cluster is not None and not _compatible(cluster.label, mention.label) and mention.strength < 2:
            cluster = None
        if cluster is None and mention.strength < 2:
            # "Kiev" tagged PERSON after "in Kyiv": the same place as a place mention already seen
            cluster = by_key.get(place_key(text, "GPE") or "")
            if cluster is not None and cluster.label not in PLACE_LABELS:
                cluster = None
        if cluster is None and mention.label == "PERSON":
            cluster = _person_cluster(doc, clusters, text)
        if cluster is None and mention.label == "ORG":
            cluster = _acronym_cluster(doc, clusters, text)
        if cluster is None:
            cluster = Cluster()
            clusters.append(cluster)
        cluster.mentions.append(mention)
        cluster.votes[mention.label] = cluster.votes.get(mention.label, 0) + (3 if mention.strength > 1 else 1)
        cluster.label = max(cluster.votes, key=lambda label: (cluster.votes[label], label == mention.label))
        by_key.setdefault(key, cluster)
    for cluster in clusters:
        described = _described_label(doc, cluster)
        if described is not None:
            cluster.label = described
            continue
        if cluster.label == "PERSON" and _names_an_organisation(doc, cluster):
            cluster.label = "ORG"
        elif cluster.label == "PERSON" and _lone_word_person(doc, cluster):
            # Coordination with things of one other type ("Classic, Nano and Shuffle") or grammar
            # no person takes says the model's guess is wrong.
            cluster.label = _coordinated_label(doc, cluster, clusters) or \
                ("OTHER" if _not_a_person(doc, cluster) else "PERSON")
    return _surnames_joined(doc, clusters)


def _surnames_joined(doc: Doc, clusters: list[Cluster]) -> list[Cluster]:
    """One-word entities of another type that the model found, spelled like the surname of a
    full-named person of the article ("Henderson" tagged GPE beside "Fritz Henderson"), join him."""
    kept = []
    full_names = _full_names(doc, clusters)
    for cluster in clusters:
        lone = cluster.label != "PERSON" and all(m.end - m.start == 1 and m.strength < 2 for m in cluster.mentions)
        person = _surname_cluster(doc, clusters, doc[cluster.mentions[0].start].text, full_names) if lone else None
        if person is not None and person is not cluster:
            person.mentions.extend(cluster.mentions)
        else:
            kept.append(cluster)
    return kept


def _surname_cluster(doc: Doc, clusters: list[Cluster], text: str,
                     full_names: list[tuple[list[str], Cluster]] | None = None) -> Cluster | None:
    """A full-named person whose surname this lone word is ("Jobs" after "Steve Jobs"), whatever
    type the model gave the word. `full_names` (from `_full_names`) saves rebuilding the list."""
    for words, cluster in reversed(full_names if full_names is not None else _full_names(doc, clusters)):
        if person_names_match([text], words):
            return cluster
    return None


def _full_names(doc: Doc, clusters: list[Cluster]) -> list[tuple[list[str], Cluster]]:
    return [(name_words(_text(doc, m)), cluster) for cluster in clusters if cluster.label == "PERSON"
            for m in cluster.mentions if m.end - m.start > 1]


def _names_an_organisation(doc: Doc, cluster: Cluster) -> bool:
    """A one-word "person" never given a first name or title, used to qualify a role or a thing
    ("the Ryanair CEO", "Ryanair flights"), is an organisation the small model took for a person."""
    if any(m.end - m.start > 1 for m in cluster.mentions):
        return False
    for mention in cluster.mentions:
        token = doc[mention.start]
        if token.i > 0 and (roles.is_role_word(doc[token.i - 1]) or doc[token.i - 1].lower_ in {"mr", "mrs", "ms", "dr"}):
            return False
    return any(doc[m.start].dep_ == "compound" and doc[m.start].head.i == m.start + 1
               and (roles.is_role_word(doc[m.start].head) or doc[m.start].head.is_lower)
               for m in cluster.mentions)


def _described_label(doc: Doc, cluster: Cluster) -> str | None:
    """The type a descriptive noun gives the model's name: a noun right before a mention that
    modifies it ("animation studio Pixar", "web browser Safari"), or the head of an apposition
    ("Lion, the new version of the system"). Names a pattern or gazetteer typed keep their type."""
    if any(m.strength > 1 for m in cluster.mentions):
        return None
    nouns = descriptor_nouns()
    for mention in cluster.mentions:
        last = doc[mention.end - 1]
        before = doc[mention.start - 1] if mention.start > 0 else None
        if before is not None and before.is_lower and before.pos_ == "NOUN" and before.dep_ == "compound" \
                and mention.start <= before.head.i < mention.end and before.lemma_.lower() in nouns:
            return nouns[before.lemma_.lower()]
        for child in last.children:
            if child.dep_ == "appos" and child.i > last.i and child.is_lower and child.lemma_.lower() in nouns:
                return nouns[child.lemma_.lower()]
    return None


_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "mr.", "mrs.", "ms.", "dr."}
# Words that open a noun phrase but never a person's name: "the Mac", "a PowerBook", "its Safari".
_NOT_BEFORE_PERSONS = {"the", "a", "an", "its", "their", "this", "these", "those", "every", "each"}


def _lone_word_person(doc: Doc, cluster: Cluster) -> bool:
    """A "person" the model found only as one word, never given a first name, title or honorific."""
    if any(m.end - m.start > 1 or m.strength > 1 for m in cluster.mentions):
        return False
    for mention in cluster.mentions:
        before = doc[mention.start - 1] if mention.start > 0 else None
        if before is not None and (roles.is_role_word(before) or before.lower_ in _HONORIFICS):
            return False
    return True


def _not_a_person(doc: Doc, cluster: Cluster) -> bool:
    """Grammar no person takes: a determiner right before the name ("the Mac", "a PowerBook"),
    or a plural proper noun ("the Beatles", "Housewives")."""
    return any((m.start > 0 and doc[m.start - 1].lower_ in _NOT_BEFORE_PERSONS) or doc[m.start].tag_ == "NNPS"
               for m in cluster.mentions)


def _coordinated_label(doc: Doc, cluster: Cluster, clusters: list[Cluster]) -> str | None:
    """The one type of the entities a mention of `cluster` is coordinated with ("Safari, Mail and
    iTunes"), if they agree."""
    label_at = {i: other.label for other in clusters if other is not cluster
                for m in other.mentions for i in range(m.start, m.end)}
    labels = set()
    for mention in cluster.mentions:
        token = doc[mention.start]
        partners = [token.head] if token.dep_ == "conj" else []
        partners += [child for child in token.children if child.dep_ == "conj"]
        labels.update(label_at[p.i] for p in partners if p.i in label_at)
    labels.discard("PERSON")
    return labels.pop() if len(labels) == 1 else None


def _spread_product_type(doc: Doc, mentions: list[NameMention]) -> None:
    """A name the text shows to be a product ("Patriot missile", "S-400") is a product in every
    mention of the article, plural included ("Patriots"), whatever the model tagged it."""
    products = {matching_key(_text(doc, m), "PRODUCT") for m in mentions
                if m.label == "PRODUCT" and m.strength > 1}
    for mention in mentions:
        if mention.label not in {"PRODUCT", "PERSON"} and \
                matching_key(_text(doc, mention), "PRODUCT") in products:
            mention.label, mention.strength = "PRODUCT", 2


def place_key(text: str, label: str) -> str | None:
    """Places the gazetteer knows are keyed by its entry, so "Russia" and "the Russian Federation"
    are one entity; a name with a head noun ("Gomel region") is another place than the bare name."""
    if label not in PLACE_LABELS:
        return None
    entry = gazetteer().get(text)
    if entry is None:
        return None
    # A country is its code ("UK", "Britain" and "United Kingdom" are entries of their own).
    return f"place:country:{entry.country}" if entry.kind == "country" else f"place:{entry.kind}:{entry.country}:{entry.name}"


def _person_cluster(doc: Doc, clusters: list[Cluster], text: str) -> Cluster | None:
    """The person a name continues: a surname alone joins the full name that has it; a full name
    joins an earlier surname alone. The most recent compatible person wins when several match."""
    words = name_words(text)
    for cluster in reversed(clusters):
        if cluster.label != "PERSON":
            continue
        for other in cluster.mentions:
            other_words = name_words(_text(doc, other))
            if person_names_match(words, other_words) and _first_names_agree(doc, cluster, words):
                return cluster
    return None


def _acronym_cluster(doc: Doc, clusters: list[Cluster], text: str) -> Cluster | None:
    """The organisation an acronym abbreviates ("USAF" after "the United States Air Force")."""
    short = _looks_like_acronym(text)
    for cluster in reversed(clusters):
        if cluster.label != "ORG":
            continue
        for m in cluster.mentions:
            if not short and (m.end - m.start > 1 or not _looks_like_acronym(doc_tokens(doc)[m.start].text)):
                continue  # neither side can abbreviate the other: skip building the span's text
            other = span_text(doc_tokens(doc), m.start, m.end)
            if is_acronym_of(text, other) or is_acronym_of(other, text):
                return cluster
    return None


def _looks_like_acronym(text: str) -> bool:
    return text.replace(".", "").replace("&", "").isupper()


def _first_names_agree(doc: Doc, cluster: Cluster, words: list[str]) -> bool:
    # Every full name already in the cluster must agree on the first name ("Ivan" vs "Petro").
    return all(person_names_match(words, name_words(_text(doc, m))) for m in cluster.mentions)


# ---------------------------------------------------------------- entities


def canonical_name(doc: Doc, cluster: Cluster) -> str:
    """The most complete form: the core name with the most words, then the longest, then the first.
    Articles, possessives, plural endings of products and generic heads ("project") are dropped."""
    texts = [_text(doc, m) for m in cluster.mentions]
    cores = [core_name(text, cluster.label) for text in texts]
    if cluster.label == "PRODUCT":
        # A plural ending is dropped only when the singular is written somewhere ("S-400s" and
        # "S-400"): "iTunes" alone stays "iTunes".
        spelled = {" ".join(name_words(text)) for text in texts}
        cores = [core if core in spelled else " ".join(name_words(text)) for core, text in zip(cores, texts)]
    return max(cores, key=lambda core: (len(core.split()), len(core), -cores.index(core)))


def build_entities(doc: Doc) -> list[Entity]:
    mentions = name_mentions(doc)
    clusters = cluster_mentions(doc, mentions)
    _absorb_unrecognised(doc, clusters, mentions)
    within = _containing_places(doc, clusters)
    entities = []
    for cluster in clusters:
        entity = _entity_for(doc, cluster, f"e{len(entities) + 1}", within)
        entities.append(entity)
    return entities


def _entity_for(doc: Doc, cluster: Cluster, entity_id: str, within: dict[int, list[str]]) -> Entity:
    cluster.mentions.sort(key=lambda m: m.start)
    name = canonical_name(doc, cluster)
    tokens = doc_tokens(doc)
    texts = [span_text(tokens, m.start, m.end) for m in cluster.mentions]
    aliases = sorted({t for t in texts if t != name}, key=texts.index)
    found_roles: list[str] = []
    if cluster.label == "PERSON":
        for mention in cluster.mentions:
            for role in roles.roles_of(doc, doc[mention.start:mention.end]):
                if role not in found_roles:
                    found_roles.append(role)
    place = None
    if cluster.label in PLACE_LABELS:
        place = place_for(name, within.get(id(cluster), []))
    return Entity(
        id=entity_id, type=cluster.label, name=name, aliases=aliases, roles=found_roles,
        mentions=[Mention(start=m.char_start, end=m.char_end, text=text) for m, text in zip(cluster.mentions, texts)],
        place=place, key=matching_key(name, cluster.label),
    )


def _absorb_unrecognised(doc: Doc, clusters: list[Cluster], mentions: list[NameMention]) -> None:
    """Capitalised runs the model missed that spell an entity already found ("Belarusian X" after
    "the Belarus X project", a NORP-only tag on the first word) become its mentions."""
    by_key = {}
    for cluster in clusters:
        for m in cluster.mentions:
            by_key.setdefault(matching_key(_text(doc, m), cluster.label), cluster)
    covered = {i for m in mentions for i in range(m.start, m.end)}
    # token -> the mention holding it: a run inside one mention stays as it is
    holder = {i: n for n, m in enumerate(mentions) for i in range(m.start, m.end)}
    _absorb_bare_codes(doc, clusters, covered)
    full_names = _full_names(doc, clusters)
    tokens = doc_tokens(doc)
    i = 0
    while i < len(tokens):
        if not (tokens[i].is_title or tokens[i].is_upper) or tokens[i].is_punct:
            i += 1
            continue
        end = i + 1
        while end < len(tokens) and (tokens[end].is_title or tokens[end].is_upper) and not tokens[end].is_punct:
            end += 1
        while i < end and tokens[i].is_stop:
            i += 1  # "The", "At": a capitalised first word of a sentence is not part of the name
        inside_one = len({holder.get(t, -1 - t) for t in range(i, end)}) == 1 and i in holder
        if end - i >= 2 and not inside_one:
            cluster = by_key.get(matching_key(span_text(doc_tokens(doc), i, end), "ORG"))
            if cluster is not None and cluster.label != "PERSON":
                _replace_covered(cluster, clusters, i, end, doc)
        elif end - i == 1 and i not in covered:
            cluster = _single_word_cluster(doc, clusters, by_key, tokens[i], full_names)
            if cluster is not None:
                _replace_covered(cluster, clusters, i, end, doc, overlaps=False)
        i = end


def _absorb_bare_codes(doc: Doc, clusters: list[Cluster], covered: set[int]) -> None:
    """A model number alone ("the 787") names the product already named with its maker
    ("Boeing 787") in the same article."""
    codes = {}
    for cluster in clusters:
        if cluster.label == "PRODUCT":
            for m in cluster.mentions:
                last = doc[m.end - 1].text
                if any(ch.isdigit() for ch in last):
                    codes.setdefault(code_key(last.rstrip("s")), cluster)
    if not codes:
        return
    for token in doc_tokens(doc):
        if token.i not in covered and token.like_num is not None and _NUMBER_MODEL.match(token.text):
            cluster = codes.get(code_key(token.text.rstrip("s")))
            if cluster is not None:
                _replace_covered(cluster, clusters, token.i, token.i + 1, doc, overlaps=False)


def _single_word_cluster(doc: Doc, clusters: list[Cluster], by_key: dict, token,
                         full_names: list[tuple[list[str], Cluster]]) -> Cluster | None:
    """The entity a lone capitalised word the model missed names: an acronym of an organisation
    ("(USAF)" after its full name), the surname of a full-named person, or the exact name or plural
    of a place, product or organisation."""
    if token.is_upper and len(token) > 1:
        found = _acronym_cluster(doc, clusters, token.text)
        if found is not None:
            return found
    if token.is_stop or not token.is_alpha or not token.is_title:
        return None
    person = _surname_cluster(doc, clusters, token.text, full_names)
    if person is not None:
        return person  # "Jobs added", even at the start of a sentence, after "Steve Jobs"
    if token.is_sent_start and token.pos_ != "PROPN":
        return None
    for label in ("PRODUCT", "GPE", "ORG"):
        found = by_key.get(matching_key(token.text, label))
        if found is not None and found.label == label:
            return found
    return None


def _replace_covered(target: Cluster, clusters: list[Cluster], start: int, end: int, doc: Doc,
                     overlaps: bool = True) -> None:
    """Make [start, end) a mention of `target`, removing the mentions it overlaps (if `overlaps`)."""
    if overlaps:
        for cluster in clusters:
            cluster.mentions = [m for m in cluster.mentions if m.end <= start or m.start >= end]
        clusters[:] = [c for c in clusters if c.mentions]
    mention = NameMention(start, end, target.label, 1, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
    target.mentions.append(mention)


def _containing_places(doc: Doc, clusters: list[Cluster]) -> dict[int, list[str]]:
    """For places named in a comma chain ("Gomel district, Gomel region, Belarus"), the names of
    the places after each one, which contain it."""
    places = sorted(((m, c) for c in clusters if c.label in PLACE_LABELS for m in c.mentions),
                    key=lambda pair: pair[0].start)
    within: dict[int, list[str]] = {}
    # Doc.text is rebuilt from all the tokens on every access: the chain is read token by token.
    tokens = doc_tokens(doc)
    for i, (mention, cluster) in enumerate(places):
        chain, last = [], mention
        for nxt, nxt_cluster in places[i + 1:]:
            between = [t.text for t in tokens[last.end:nxt.start]]
            if between not in ([","], ["("]) or nxt_cluster is cluster:
                break
            chain.append(doc[nxt.start:nxt.end].text)
            last = nxt
        if chain and id(cluster) not in within:
            within[id(cluster)] = chain
    return within


@Language.component("onrecord_entities", assigns=["doc._.entities"], requires=["doc.ents"])
def entities_component(doc: Doc) -> Doc:
    """Fill doc._.entities; pronoun and description mentions are added by coref."""
    try:
        doc._.entities = build_entities(doc)
        coref.add_reference_mentions(doc)
    finally:
        release()
    number_by_first_mention(doc._.entities)
    return doc


def number_by_first_mention(entities: list[Entity]) -> None:
    """Sort entities by their first mention and number them "e1", "e2", ... in that order."""
    entities.sort(key=lambda e: min((m.start for m in e.mentions), default=0))
    for number, entity in enumerate(entities, 1):
        entity.id = f"e{number}"
