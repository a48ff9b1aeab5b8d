"""Language identification: short English texts full of foreign names stay English."""

from __future__ import annotations

import pytest

from onrecord.ingest.language import detect_language
from onrecord.ingest.text import clean_text


@pytest.mark.parametrize("headline", ["Putin visits Minsk", "Zelensky meets Duda in Rzeszow",
                                      "Lukashenka wants missiles", "Gazprom cuts supply to Moldova",
                                      "Sandu and Grosu sign decree in Chisinau"])
def test_language_short_english_headline_is_not_flagged(analyzer, headline):
    record = analyzer.analyze(clean_text(headline))
    assert not any(warning.startswith("W101") for warning in record.warnings)


def test_language_short_english_article_with_names_is_english():
    text = ("Tsikhanouskaya met Landsbergis in Vilnius on Monday. Nausėda said Lithuania would help, "
            "according to the ministry.")
    assert detect_language(text)[0] == "en"


@pytest.mark.parametrize("text, language", [
    ("Der Präsident sagte, dass die Verhandlungen in der nächsten Woche fortgesetzt werden.", "de"),
    ("Prezydent powiedział, że rozmowy będą kontynuowane w przyszłym tygodniu w Warszawie.", "pl"),
    ("Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Минске.", "ru"),
])
def test_language_other_languages_are_recognised(text, language):
    found, confidence = detect_language(text)
    assert found == language and confidence > 0.9


def test_language_text_without_letters_is_undetermined():
    assert detect_language("12 345 — 67 %") == ("und", 0.0)
