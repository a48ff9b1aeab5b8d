"""Corpus-level entity ids: the same real-world entity in many articles gets one id.

The record's entity may already carry `corpus_id` (set by the cross-article resolver): it is used
as it is. Otherwise entities of one type with one matching key (the pipeline's transliteration-
folded `key`, else the folded name) share the corpus entity first stored under that key, whose id
is made readable from the name it was first seen with (see store.write).
"""

from __future__ import annotations

import hashlib

from onrecord.model import Entity
from onrecord.store.records import fold_name

# Ids are used in URLs and as primary keys; longer keys are cut and made unique by a hash suffix.
_MAX_ID = 120


def entity_key(entity: Entity) -> str:
    return entity.key or fold_name(entity.name) or fold_name(entity.id)


def lookup_keys(name: str) -> list[str]:
    """The keys a name typed by a user may be stored under: the pipeline's transliteration-folded
    name key (when the analysis package provides it) and the plainly folded name."""
    keys = []
    try:
        from onrecord.analyse.names import name_key
    except ImportError:  # the store works without the analysis package's name folding
        name_key = None
    if name_key is not None:
        keys.append(name_key(name))
    keys.append(fold_name(name))
    return [key for key in dict.fromkeys(keys) if key]


def readable_id(entity: Entity) -> str:
    """A readable id for a new corpus entity, such as 'person:jane-doe' (the folded name, not the
    matching key, which is made for machines: 'marIa kelr')."""
    slug = "-".join(fold_name(entity.name).split()) or "-".join(entity_key(entity).split()) or "unnamed"
    identity = f"{entity.type.lower()}:{slug}"
    if len(identity) > _MAX_ID:
        identity = identity[:_MAX_ID - 9] + "-" + hashlib.sha1(identity.encode()).hexdigest()[:8]
    return identity
