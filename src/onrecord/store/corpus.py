"""Corpus-level entity ids: the same real-world entity in many articles gets one id.

The record's entity may already carry `corpus_id` (set by the cross-article resolver) and `key`
(the transliteration-folded matching key); without them the folded name is the key.
"""

from __future__ import annotations

import hashlib

from onrecord.model import Entity
from onrecord.store.records import fold_name

# Ids are used in URLs and as primary keys; longer keys are cut and made unique by a hash suffix.
_MAX_ID = 120


def entity_key(entity: Entity) -> str:
    return entity.key or fold_name(entity.name) or fold_name(entity.id)


def corpus_id(entity: Entity) -> str:
    """A readable, stable id such as 'person:jane-doe', the same for every article."""
    if entity.corpus_id:
        return entity.corpus_id
    slug = "-".join(entity_key(entity).split()) or "unnamed"
    identity = f"{entity.type.lower()}:{slug}"
    if len(identity) > _MAX_ID:
        identity = identity[:_MAX_ID - 9] + "-" + hashlib.sha1(identity.encode()).hexdigest()[:8]
    return identity
