"""The onrecord_attributions component end to end: quotes get cues and speakers, labels and
colons introduce quotes, floating quotes keep the speaker, source lines give chains,
factuality is judged, and broken quotation marks never crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_offsets_hold

pytestmark = pytest.mark.model

ARTICLE = """Harbour town votes to rebuild its pier

The mayor of Port Selden, Irene Vasquez, said on Monday that the town would rebuild the pier by spring.

“We have the money, and we have the builders,” Vasquez said. “What we need is good weather.”

She added: “Nobody will lose their mooring.”

“The old pier was a hazard for years, and everyone here knew it. We simply waited too long,” she told the council.

Vasquez’s direct speech: “Fishing boats come first.”

Direct speech: “The ferry keeps its berth.”

According to the harbour office, the work may take four months.

Source: Irene Vasquez quoted by her press office, Coast Radio
"""


@pytest.fixture(scope="module")
def record(analyzer):
    return analyzer.analyze_text(ARTICLE)


def by_start(record, words):
    found = [a for a in record.attributions if a.content.text.strip("“”\"").startswith(words)
             or a.content.text.startswith("that " + words)]
    assert found, f"no attribution starts with {words!r}: {[a.content.text[:40] for a in record.attributions]}"
    return found[0]


def entity_name(record, attribution):
    entities = {entity.id: entity for entity in record.entities}
    return entities[attribution.speaker.entity].name if attribution.speaker and attribution.speaker.entity else None


def test_attribution_offsets_hold(record):
    assert_offsets_hold(record)


def test_attribution_indirect_speech_has_cue_speaker_content(record):
    said = by_start(record, "the town would rebuild")
    assert said.kind == "indirect" and said.cue.text == "said"
    assert "Vasquez" in said.speaker.text


def test_attribution_quotes_split_by_the_cue_are_one_statement_in_parts(record):
    quote = by_start(record, "We have the money")
    assert quote.kind == "direct" and quote.cue.text == "said"
    assert [part.text for part in quote.content.parts] == [
        "“We have the money, and we have the builders,”", "“What we need is good weather.”"]


def test_attribution_colon_introduces_a_quote_and_pronoun_resolves(record):
    quote = by_start(record, "Nobody will lose")
    assert quote.cue.text.startswith("added")
    assert quote.speaker.text == "She"
    assert "Vasquez" in entity_name(record, quote)


def test_attribution_multi_sentence_quote_takes_the_cue_after_it(record):
    quote = by_start(record, "The old pier")
    assert quote.kind == "direct" and quote.cue.text == "told"
    assert quote.content.text.endswith("too long,”")


def test_attribution_possessive_label_names_the_speaker(record):
    quote = by_start(record, "Fishing boats come first")
    assert quote.cue.text == "direct speech"
    assert "Vasquez" in entity_name(record, quote)


def test_attribution_bare_label_takes_the_previous_speaker(record):
    quote = by_start(record, "The ferry keeps")
    assert quote.cue.text == "Direct speech"
    assert "Vasquez" in entity_name(record, quote)


def test_attribution_according_to_and_hedge(record):
    reported = by_start(record, "the work may take")
    assert reported.speaker.text == "the harbour office"
    assert reported.factuality == "possible"
    assert [hedge.text for hedge in reported.hedges] == ["may"]


def test_attribution_source_line_chain_runs_speaker_then_intermediaries(record):
    names = {entity.id: entity.name for entity in record.entities}
    line = [a for a in record.attributions if a.cue and a.cue.text == "Source"]
    assert line, "the source line gave no attribution"
    chain = [names[entity_id] for entity_id in line[0].source_chain]
    assert "Vasquez" in chain[0]
    assert len(chain) == 3 and chain[2] == "Coast Radio"
    assert "press office" in chain[1]


@pytest.mark.parametrize("sentence, factuality, hedge", [
    ("The inspector said the bridge is reportedly unsafe.", "possible", "reportedly"),
    ("The inspector said that the bridge will not close.", "negated", "not"),
    ("The inspector wants to close the bridge.", "intended", "wants"),
    ("The governor pledged that the ferry would run again in May.", "promised", "pledged"),
    ("The mayor promised that the library will reopen next year.", "promised", "promised"),
    ("The inspector said that the bridge is safe.", "asserted", None),
])
def test_attribution_factuality_of_content(analyzer, sentence, factuality, hedge):
    record = analyzer.analyze_text(sentence)
    assert len(record.attributions) == 1
    attribution = record.attributions[0]
    assert attribution.factuality == factuality
    assert [h.text for h in attribution.hedges] == ([hedge] if hedge else [])


def test_attribution_floating_quote_continues_the_previous_speaker(analyzer):
    text = ("The coach, Tom Reyes, said the team had trained hard all winter long.\n\n"
            "“Every player came back stronger than before, and you can see it on the field every week.”")
    record = analyzer.analyze_text(text)
    floating = [a for a in record.attributions if a.kind == "direct"]
    assert floating and floating[0].cue is None
    assert "Reyes" in floating[0].speaker.text


def test_attribution_reporting_verb_inside_a_quote_is_not_a_new_attribution(analyzer):
    text = "“They said the road was open, but it was not,” the driver complained."
    record = analyzer.analyze_text(text)
    assert len(record.attributions) == 1
    assert record.attributions[0].cue.text == "complained"


def test_attribution_empty_text_gives_no_attributions(nlp):
    from onrecord.analyse.attribution import find_attributions

    assert find_attributions(nlp("")) == []
    assert find_attributions(nlp("   \n\n  ")) == []


_PIECES = st.sampled_from(["“", "”", '"', "'", "‘", "’", "«", "»", "„", "''", " ", "\n\n", ".", ",", ":",
                           "the minister said", "Direct speech:", "Source: the agency via", "he told us",
                           "according to them", "prices rose", "it may rain", "As the group notes,"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_attribution_broken_quotation_marks_never_crash(nlp, text):
    from onrecord.analyse.attribution import find_attributions

    doc = nlp(text)
    for attribution in find_attributions(doc):
        for span in (attribution.content, attribution.cue, attribution.speaker, *(attribution.content.parts or [])):
            if span is not None:
                assert text[span.start:span.end] == span.text


def test_attribution_lead_with_its_own_speaker_is_not_given_to_the_source_line(analyzer):
    text = ("Valley farmers get new irrigation canal\n\n"
            "The regional water board opened a new canal on Friday for the valley's orchards, "
            "the provincial agriculture office said.\n\n"
            "Source: Water board chair Ruth Okafor quoted by the board's press office, Valley Radio\n")
    record = analyzer.analyze_text(text)
    lead = [a for a in record.attributions if a.content.text.startswith("The regional water board opened")]
    assert len(lead) == 1
    assert lead[0].speaker.text == "the provincial agriculture office"
    assert lead[0].cue.text == "said"


def test_attribution_quote_words_taken_for_the_subject_give_way_to_the_name_outside(analyzer):
    text = ('"The more voters who hear about the canal, the better they like it and the plans that she '
            'is drawing up," Okafor said.')
    record = analyzer.analyze_text(text)
    assert [a.speaker.text for a in record.attributions] == ["Okafor"]


def test_attribution_name_before_a_colon_speaks_the_quote(analyzer):
    text = 'Prices fell sharply in March - Ann Cole: "The market is cooling faster than anyone expected this year."'
    record = analyzer.analyze_text(text)
    quoted = [a for a in record.attributions if a.kind == "direct"]
    assert quoted and quoted[0].speaker.text == "Ann Cole"


def test_attribution_two_names_before_a_colon_speak_the_quote_together(analyzer):
    text = ('Rents climb again in the north - Ann Cole and Jon Berg: "Landlords raised prices in every '
            'district we surveyed this spring."')
    record = analyzer.analyze_text(text)
    quoted = [a for a in record.attributions if a.kind == "direct"]
    assert quoted and quoted[0].speaker.text == "Ann Cole and Jon Berg"


def test_attribution_name_before_a_colon_beats_the_headline_verb(analyzer):
    text = 'Farmers agree - Lena Ortiz: "We planted late because the spring rain never stopped falling here."'
    record = analyzer.analyze_text(text)
    quoted = [a for a in record.attributions if a.kind == "direct"]
    assert quoted and quoted[0].speaker.text == "Lena Ortiz"
    assert quoted[0].content.text.startswith('"We planted')


def test_attribution_transcript_turn_belongs_to_its_label_not_to_the_verbs_inside(analyzer):
    text = ("The interview aired on Sunday.\n\nMARIA OKONJO: I think the bridge will open in June, and "
            "the engineers say the cost is fine.\n\nDAN REEVE: Do you believe them?")
    record = analyzer.analyze_text(text)
    turns = {a.speaker.text: a for a in record.attributions if a.speaker}
    assert turns["MARIA OKONJO"].content.text.startswith("I think the bridge")
    assert turns["MARIA OKONJO"].cue.text == ":"
    assert "I" not in turns and "the engineers" not in turns
    assert turns["DAN REEVE"].content.text == "Do you believe them?"


def test_attribution_headline_label_speaks_the_one_sentence_after_it(analyzer):
    text = "Tom Alvarez: I Never Said the Mill Would Close.\n\nThe owner spoke to workers on Friday."
    record = analyzer.analyze_text(text)
    assert record.attributions[0].speaker.text == "Tom Alvarez"


def test_attribution_name_before_a_colon_over_a_long_section_leaves_its_sentences_their_speakers(analyzer):
    text = ("Ruth Ames: Housing On her website, Ruth Ames calls for more public housing. "
            "She says rents have doubled in a decade.")
    record = analyzer.analyze_text(text)
    speakers = [a.speaker.text for a in record.attributions if a.speaker]
    assert "She" in speakers


def test_attribution_interview_q_and_a_letters_are_not_speakers(analyzer):
    text = "Q: Will the mill close?\n\nA: The owners told me it will stay open."
    record = analyzer.analyze_text(text)
    assert all(a.speaker is None or a.speaker.text not in ("Q", "A") for a in record.attributions)


def test_attribution_quote_before_a_coordinated_verb_borrows_its_subject(analyzer):
    text = ('After the vote, Okafor thanked the volunteers - "the best crew in the county" - and '
            'praised the mayor for her patience.')
    record = analyzer.analyze_text(text)
    speakers = {a.speaker.text for a in record.attributions if a.speaker}
    assert speakers == {"Okafor"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20), st.integers(0, 80), st.integers(1, 4)), max_size=25))
def test_attribution_univocal_filter_keeps_what_pairwise_comparison_keeps(spans):
    from onrecord.analyse.attribution import _Draft, _inside, _overlaps, _without_overlaps

    drafts = [_Draft("indirect", [(start, start + length)], (cue, cue + cue_length), None, "test")
              for start, length, cue, cue_length in spans]
    kept: list = []
    for draft in sorted(drafts, key=lambda d: -(d.end - d.start)):
        if any(_overlaps((draft.start, draft.end), (other.start, other.end)) for other in kept):
            continue
        if any(_inside(draft.cue, (other.start, other.end)) for other in kept):
            continue
        kept.append(draft)
    assert _without_overlaps(drafts) == sorted(kept, key=lambda d: d.start)


def test_attribution_headline_label_with_a_surname_named_later_speaks(analyzer):
    text = ("Alvarez: The Mill Will Stay Open.\n\nMill owner Tom Alvarez told workers on Friday that no jobs "
            "would be cut this year.")
    record = analyzer.analyze_text(text)
    assert record.attributions[0].speaker.text == "Alvarez"
    assert record.attributions[0].content.text.startswith("The Mill")


def test_attribution_headline_label_speaker_is_the_name_after_a_kicker(analyzer):
    text = ("EXCLUSIVE – Nora Quist: Rents Will Fall Next Year.\n\nThe economist spoke to a housing "
            "conference in Leeds on Monday.")
    record = analyzer.analyze_text(text)
    assert record.attributions[0].speaker.text == "Nora Quist"


def test_attribution_quotes_in_single_newline_paragraphs_keep_their_own_speakers(analyzer):
    text = ('"The bridge will open in June," Okafor said.\n'
            'Her rival disagreed with the plan.\n'
            '"Nothing about this budget adds up, and the council knows it," Reyes said.')
    record = analyzer.analyze_text(text)
    quoted = {a.content.text.strip('"'): a.speaker.text for a in record.attributions if a.speaker}
    assert quoted.get("The bridge will open in June,") == "Okafor"
    assert "Reyes" in quoted.values()
    assert all(len(a.content.parts or []) < 2 for a in record.attributions)


def test_attribution_transcript_turns_on_single_newline_lines(analyzer):
    text = "The panel met on Sunday.\nTOM REEVE: The levy is too high.\nANNA BELL: It pays for the dam."
    record = analyzer.analyze_text(text)
    turns = {a.speaker.text: a.content.text for a in record.attributions if a.speaker}
    assert turns == {"TOM REEVE": "The levy is too high.", "ANNA BELL": "It pays for the dam."}
