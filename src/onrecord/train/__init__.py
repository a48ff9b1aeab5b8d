"""Train: rebuild the trained models that ship in onrecord/data from annotated corpora, one command each."""
