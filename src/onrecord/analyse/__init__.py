"""Analyse: spaCy components, one extractor per module, each adding one part of the record.

Components write typed results (onrecord.model objects) onto `Doc` extensions declared in
`extensions.py`; `record.py` assembles the record from them. No component knows the store or the web.
"""

# The components onrecord adds to spaCy's pipeline, in order: (factory name, module that
# registers it, where it goes). A component can be switched off with Settings.disable.
COMPONENTS: list[tuple[str, str, dict[str, str]]] = [
    ("onrecord_paragraphs", "onrecord.analyse.structure", {"before": "parser"}),
    ("onrecord_times", "onrecord.analyse.times", {"after": "ner"}),
    ("onrecord_entities", "onrecord.analyse.entities", {"after": "ner"}),
    # Last so far: it reads the entities (speaker resolution) and runs even when they are switched off.
    ("onrecord_attributions", "onrecord.analyse.attribution", {"last": True}),
    ("onrecord_attribution_tagger", "onrecord.analyse.attribution_tagger", {"last": True}),  # CRF refines spans
    # A fine-tuned MiniLM encoder corrects and completes the rules' attributions (the `encoder` extra).
    ("onrecord_attribution_encoder", "onrecord.analyse.attribution_encoder", {"last": True}),
    # A learned ranker re-picks speakers among the phrases near each cue, on whatever came before.
    ("onrecord_speaker_ranker", "onrecord.analyse.speaker_ranker", {"last": True}),
    # After entities and attributions: event arguments resolve to entities, events sit in attributions.
    ("onrecord_events", "onrecord.analyse.events", {"last": True}),
]

# Components that run only when Settings.enable names them: each gains a little attribution quality
# on PolNeAR dev for much more CPU time (the CRF ~10% of the spaCy parse, the encoder more than the
# parse itself; README).
OPTIONAL_COMPONENTS = frozenset({"onrecord_attribution_tagger", "onrecord_attribution_encoder"})
