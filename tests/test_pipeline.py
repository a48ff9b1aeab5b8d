import pytest

from onrecord.errors import ModelMissing
from onrecord.ingest.text import clean_text
from onrecord.settings import Settings
from tests.conftest import assert_offsets_hold


def test_pipeline_registers_paragraph_component_before_parser(nlp):
    names = nlp.pipe_names
    assert names.index("onrecord_paragraphs") < names.index("parser")


def test_pipeline_sentences_never_cross_paragraph_breaks(analyzer):
    text = "Headline without a stop\n\nThe first paragraph ends here without punctuation\n\nA second one."
    doc = analyzer.nlp(text)
    for sentence in doc.sents:
        assert "\n\n" not in sentence.text.strip()


def test_pipeline_missing_model_gives_one_clear_error():
    from onrecord.analyse.pipeline import load_pipeline

    with pytest.raises(ModelMissing, match="not installed"):
        load_pipeline(Settings(model="no_such_model_xyz"))


def test_pipeline_non_english_article_gives_record_with_warning(analyzer):
    article = clean_text("Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Минске. "
                         "По его словам, стороны договорились о новой встрече.")
    record = analyzer.analyze(article)
    assert record.document.language == "ru"
    assert any(w.startswith("W101") for w in record.warnings)
    assert record.entities == [] and record.attributions == []


def test_pipeline_record_offsets_hold_on_example(analyzer, shared):
    from onrecord.ingest import read_inputs

    item = next(read_inputs([str(shared / "examples" / "belarus-iskander.txt")]))
    record = analyzer.analyze(item.article)
    assert_offsets_hold(record)
    for paragraph in record.paragraphs:
        assert record.text[paragraph.start:paragraph.end].strip() == record.text[paragraph.start:paragraph.end]
