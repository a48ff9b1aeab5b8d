"""onrecord: news articles into records with provenance (who said what, through whom, how sure)."""

from onrecord.model import SCHEMA_VERSION, Record

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Record", "__version__", "analyze_text"]


def analyze_text(text: str, **metadata: object) -> Record:
    """Analyse one article given as text (or HTML, with `html=True`) and return its record."""
    from onrecord.analyse.pipeline import Analyzer

    return Analyzer.default().analyze_text(text, **metadata)
