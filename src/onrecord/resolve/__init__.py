"""Resolve: what holds across documents (entity identity, claim identity, corroboration).
Each module takes records and never runs NLP or touches the store."""
