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


def test_pipeline_long_run_check_agrees_with_splitting(nlp):
    """_has_long_run is a cheap pre-test for split_long_runs: whenever it says no, splitting sets
    no sentence start, and whenever it says yes, splitting sets at least one."""
    import random

    from onrecord.analyse.pipeline import _has_long_run
    from onrecord.bounds import split_long_runs

    rng = random.Random(5)
    words = ["word", "word", "word", ",", ".", "!", "?", ";", "…", "-", ":"]
    for _ in range(150):
        limit = rng.randint(2, 12)
        weights = [30, 30, 30, 3] + [rng.choice([0, 1, 4])] * 5 + [1, 1]
        text = " ".join(rng.choices(words, weights=weights, k=rng.randint(0, 60)))
        doc = nlp.make_doc(text)
        expected = split_long_runs(nlp.make_doc(text), limit=limit) > 0
        assert _has_long_run(doc, limit=limit) is expected, (limit, text)


def test_pipeline_doc_text_is_read_once_and_never_stale(nlp):
    from onrecord.analyse.tokens import doc_text, keep_text

    doc = nlp.make_doc("Two words.\n\nA second paragraph.")
    keep_text(doc, "Some other text of another length")  # refused: it is not this doc's text
    assert doc_text(doc) == doc.text
    assert doc_text(nlp.make_doc("")) == ""
    same = nlp.make_doc("Rain fell.")
    keep_text(same, "Rain fell.")
    assert doc_text(same) == "Rain fell."


def test_pipeline_paragraph_starts_begin_sentences(nlp):
    from onrecord.analyse.structure import mark_paragraphs

    text = "first line without a stop\n\nsecond paragraph here\n\n\nthird one"
    doc = mark_paragraphs(nlp.make_doc(text))
    starts = [token.text for token in doc if token.is_sent_start and token.i > 0]
    assert starts == ["second", "third"]


def test_pipeline_array_attribute_rules_match_spacy_attribute_ruler(nlp, shared):
    """The pipeline's attribute_ruler applies the model's rules with array look-ups: every match,
    and every annotation after it, is the same as spaCy's Matcher-based AttributeRuler gives."""
    from onrecord.analyse.attribute_rules import ArrayAttributeRuler

    fast = nlp.get_pipe("attribute_ruler")
    assert isinstance(fast, ArrayAttributeRuler) and fast.rules  # compiled, not falling back
    texts = [path.read_text(encoding="utf-8") for path in sorted((shared / "examples").glob("*.txt"))]
    texts += ["They ain't gonna say it, y'all gotta wait.\n\n  Space  tokens\t here.", "", " ", "\n\n",
              "I wanna go, he gon na try; AIN'T NOTHING, we got ta."]
    before = nlp.pipe_names[:nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(texts))
    for doc in docs:
        spacy_matches = [(int(a), int(m), int(s), int(e)) for a, m, s, e in fast.ruler.match(doc)]
        assert fast.match(doc) == spacy_matches
        ours, theirs = doc.copy(), doc.copy()
        fast(ours)
        fast.ruler(theirs)
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in ours] == \
               [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in theirs]


def test_pipeline_spacy_attribute_ruler_when_array_rules_are_disabled():
    from onrecord.analyse.attribute_rules import ARRAY_ATTRIBUTE_RULES
    from onrecord.analyse.pipeline import load_pipeline
    from spacy.pipeline import AttributeRuler

    nlp = load_pipeline(Settings(disable=frozenset({ARRAY_ATTRIBUTE_RULES})))
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_pipeline_rules_the_arrays_cannot_do_fall_back_to_the_matcher(nlp):
    from spacy.pipeline import AttributeRuler

    from onrecord.analyse.attribute_rules import ArrayAttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "big"}, {"POS": "NOUN", "OP": "+"}]], {"LEMMA": "BIGTHING"})
    fast = ArrayAttributeRuler(nlp).use(ruler)
    assert fast.rules is None
    doc = nlp("A big dog barked.")
    assert fast.match(doc) == ruler.match(doc)
