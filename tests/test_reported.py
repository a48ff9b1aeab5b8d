"""Indirect speech from the parse: reporting verbs, according to, as-clauses, parentheticals."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from onrecord.analyse.reported import find_reports, reporting_verbs, speech_verb_forms

pytestmark = pytest.mark.model


def reports(nlp, text):
    doc = nlp(text)
    return [{"cue": text[r.cue[0]:r.cue[1]], "content": text[r.content[0]:r.content[1]],
             "speaker": text[r.speaker[0]:r.speaker[1]] if r.speaker else None, "rule": r.rule,
             "gap": text[r.gap[0]:r.gap[1]] if r.gap else None} for r in find_reports(doc)]


def test_reported_verb_with_that_clause_gives_cue_speaker_and_content(nlp):
    found = reports(nlp, "The harbour master told reporters that the pier would reopen in May.")
    assert found[0]["cue"] == "told"
    assert found[0]["speaker"] == "The harbour master"
    assert found[0]["content"] == "that the pier would reopen in May"


def test_reported_trailing_said_reports_the_clause_before_it(nlp):
    found = reports(nlp, "The orchard lost half its trees in the frost, the growers said.")
    assert found[0]["cue"] == "said"
    assert found[0]["speaker"] == "the growers"
    assert found[0]["content"] == "The orchard lost half its trees in the frost"


def test_reported_parenthetical_inside_a_sentence_leaves_a_gap(nlp):
    found = reports(nlp, "The new timetable, the operator said, will cut waiting times at night.")
    assert found[0]["cue"] == "said"
    assert found[0]["gap"] == "the operator said"
    assert found[0]["content"].startswith("The new timetable")
    assert found[0]["content"].endswith("waiting times at night")


def test_reported_according_to_makes_the_object_the_speaker(nlp):
    found = reports(nlp, "According to the weather service, the storm will reach the coast on Friday.")
    assert found[0]["rule"] == "according_to"
    assert found[0]["speaker"] == "the weather service"
    assert found[0]["content"] == "the storm will reach the coast on Friday"


def test_reported_as_clause_attributes_the_main_clause(nlp):
    found = reports(nlp, "As the observers report, the polling stations closed two hours early.")
    assert [f["rule"] for f in found] == ["as_clause"]
    assert found[0]["speaker"] == "the observers"
    assert found[0]["content"] == "the polling stations closed two hours early"


def test_reported_as_clause_with_mistagged_present_verb_is_read_from_the_words(nlp):
    found = reports(nlp, "As the Harbour Watch group specifies, two tankers are moored at the northern quay.")
    assert found and found[0]["cue"] == "specifies"
    assert found[0]["speaker"] == "the Harbour Watch group"
    assert found[0]["content"].startswith("two tankers are moored")


def test_reported_object_that_names_the_addressee_is_not_content(nlp):
    assert reports(nlp, "The coach told the newspaper after the match.") == []


def test_reported_clause_tier_verb_needs_a_following_clause(nlp):
    found = reports(nlp, "Many voters believe that the count was fair.")
    assert found[0]["cue"] == "believe"
    assert found[0]["content"] == "that the count was fair"


def test_reported_verb_list_and_surface_forms_come_from_the_data_file():
    verbs = reporting_verbs()
    assert verbs["say"] == "speech" and verbs["believe"] == "clause"
    forms = speech_verb_forms()
    assert {"said", "clarifies", "clarified", "warns", "told"} <= forms


def test_reported_cue_noun_with_possessor_and_object(nlp):
    found = reports(nlp, "The union's criticism of the pension reform dominated the evening news.")
    assert found[0]["rule"] == "noun"
    assert found[0]["cue"] == "criticism of"
    assert found[0]["speaker"] == "The union's"
    assert found[0]["content"] == "the pension reform"


def test_reported_cue_noun_with_that_clause_needs_no_possessor(nlp):
    found = reports(nlp, "The claim that the dam leaked surprised no one.")
    assert found[0]["rule"] == "noun"
    assert found[0]["content"] == "that the dam leaked"


def test_reported_passive_subject_is_content_and_agent_speaker(nlp):
    found = reports(nlp, "The new curfew was announced by the regional governor.")
    assert found[0]["rule"] == "passive"
    assert found[0]["content"] == "The new curfew"
    assert found[0]["speaker"] == "the regional governor"


def test_reported_raising_verb_keeps_its_subject_in_the_content(nlp):
    found = reports(nlp, "The ceasefire seemed to hold through the night.")
    assert found[0]["rule"] == "raising"
    assert found[0]["content"] == "The ceasefire seemed to hold through the night"
    assert found[0]["speaker"] is None


def test_reported_participle_borrows_the_subject_of_its_clause(nlp):
    found = reports(nlp, "The nurses walked out on Friday, saying that wards were understaffed.")
    assert found[0]["cue"] == "saying"
    assert found[0]["speaker"] == "The nurses"


def test_reported_verb_with_its_own_object_does_not_take_the_clause_before_it(nlp):
    found = reports(nlp, "City approves new budget, mayor promises cheaper buses by autumn")
    promised = [report for report in found if report["cue"] == "promises"]
    assert promised and promised[0]["content"] == "cheaper buses by autumn"
    assert promised[0]["speaker"] == "mayor"


def test_reported_content_takes_back_a_fragment_the_parser_split_off(nlp):
    # The parse the model gave a lead after a byline: "Kenya" and "and" as sentences of their own.
    words = ["Kenya", "and", "Uganda", "opened", "a", "post", ",", "the", "ministry", "said", "."]
    heads = [0, 1, 3, 9, 5, 3, 9, 8, 9, 9, 9]
    deps = ["ROOT", "ROOT", "nsubj", "ccomp", "det", "dobj", "punct", "det", "nsubj", "ROOT", "punct"]
    pos = ["PROPN", "CCONJ", "PROPN", "VERB", "DET", "NOUN", "PUNCT", "DET", "NOUN", "VERB", "PUNCT"]
    lemmas = ["Kenya", "and", "Uganda", "open", "a", "post", ",", "the", "ministry", "say", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True] * 5 + [False] + [True] * 3 + [False, False],
              heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    found = [r for r in find_reports(doc) if doc.text[r.cue[0]:r.cue[1]] == "said"]
    assert found and doc.text[found[0].content[0]:found[0].content[1]] == "Kenya and Uganda opened a post"


def test_reported_multiword_cue_takes_what_its_last_word_governs(nlp):
    found = reports(nlp, "The senator took issue with the new tariff schedule.")
    assert found[0]["rule"] == "phrase"
    assert found[0]["cue"] == "took issue with"
    assert found[0]["speaker"] == "The senator"
    assert found[0]["content"] == "the new tariff schedule"


def test_reported_multiword_cue_skips_a_pronoun_inside_it(nlp):
    found = reports(nlp, "The union made it clear that strikes would continue.")
    assert found[0]["cue"] == "made it clear"
    assert found[0]["content"] == "that strikes would continue"


def test_reported_stance_adjective_with_a_clause_is_a_cue(nlp):
    found = reports(nlp, "Several bakers are skeptical that the flour tax will last.")
    assert found[0]["rule"] == "adjective"
    assert found[0]["cue"] == "are skeptical"
    assert found[0]["speaker"] == "Several bakers"
    assert found[0]["content"] == "that the flour tax will last"


def test_reported_stance_adjective_without_a_clause_is_no_cue(nlp):
    assert reports(nlp, "Several bakers are skeptical.") == []


def test_reported_raising_verb_subject_is_the_speaker_and_in_the_content(nlp):
    found = reports(nlp, "She seemed to expect a late frost this year.")
    assert found[0]["rule"] == "raising"
    assert found[0]["speaker"] == "She"
    assert found[0]["content"].startswith("She seemed")


def test_reported_as_clause_of_time_names_no_source(nlp):
    found = reports(nlp, "Ferry fares went up in June, as the operator continued to lose money.")
    assert all(report["rule"] != "as_clause" for report in found)
    found = reports(nlp, "The bridge will close in May, as the council announced on Friday.")
    assert found[0]["rule"] == "as_clause"
    assert found[0]["content"] == "The bridge will close in May"


@pytest.mark.parametrize("text, cue, speaker", [
    ("The union was ready to endorse the new contract by Friday.", "endorse", "The union"),
    ("The council is likely to approve the budget next week.", "approve", "The council"),
])
def test_reported_infinitive_after_an_adjective_borrows_the_subject_of_its_copula(nlp, text, cue, speaker):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert found[cue]["speaker"] == speaker


def test_reported_infinitive_after_pressure_on_someone_is_theirs(nlp):
    found = {item["cue"]: item for item in reports(
        nlp, "The storm damage will increase the pressure on the governor to say whether she will call an emergency.")}
    assert found["say"]["speaker"] == "the governor"


def test_reported_infinitive_of_a_causing_verb_belongs_to_its_object(nlp):
    found = {item["cue"]: item for item in reports(
        nlp, "The flood prompted the voters to demand new levees along the river.")}
    assert found["demand"]["speaker"] == "the voters"


@pytest.mark.parametrize("text", [
    "The minister met the growers on Tuesday to discuss the drought.",
    "The minister used a borrowed microphone to discuss the drought.",
])
def test_reported_purpose_clause_stays_with_the_subject(nlp, text):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert found["discuss"]["speaker"] == "The minister"


def test_reported_infinitive_of_an_abstract_noun_belongs_to_whoever_makes_it(nlp):
    found = {item["cue"]: item for item in reports(
        nlp, "The mayor wrote to the board in an effort to persuade the members to keep the library open.")}
    assert found["persuade"]["speaker"] == "The mayor"


def test_reported_promise_keeps_its_infinitive_with_the_subject(nlp):
    found = {item["cue"]: item for item in reports(nlp, "The senator promised voters to support the dam repairs.")}
    assert found.get("support", {"speaker": "The senator"})["speaker"] == "The senator"


@pytest.mark.parametrize("text, cue, speaker", [
    ("Friday in Cardiff, while on a tour of the docks for his union leader Maria Evans, former mayor Tom "
     "Price said the port was failing.", "said", "former mayor Tom Price"),
    ("On a visit to the farms of her home county Devon, the farming minister Anne Hale said prices would rise.",
     "said", "Anne Hale"),
    ("Monday at the lake, during the launch of the regatta for the town's mayor Jo Kent, rowing coach Sam "
     "Otto said the water was too cold.", "said", "rowing coach Sam Otto"),
])
def test_reported_speech_verb_finds_its_speaker_past_asides(nlp, text, cue, speaker):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert speaker in (found[cue]["speaker"] or "")


def test_reported_subject_by_position_never_takes_an_object(nlp):
    doc = nlp("After meeting the growers, said the union would strike.")
    from onrecord.analyse.reported import _subject_by_position
    verb = next(token for token in doc if token.lower_ == "said")
    assert _subject_by_position(verb) is None


def test_reported_subject_stops_before_its_relative_clause(nlp):
    found = {item["cue"]: item for item in reports(
        nlp, "In 2011, Dr. Reyes, who had not spoken during the hearings, decided to support the plan.")}
    assert found["decided"]["speaker"] == "Dr. Reyes"


@pytest.mark.parametrize("text, cue, speaker", [
    ("The board rejected a claim by the contractors that the delays were caused by rain.", "claim", "the contractors"),
    ("He went ahead despite warnings from engineers that the bridge was weak.", "warnings", "engineers"),
    ("The mayor stirred anger last spring with a claim that the river was clean.", "claim", "The mayor"),
])
def test_reported_cue_noun_without_possessor_finds_who_made_the_claim(nlp, text, cue, speaker):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert found[cue]["speaker"] == speaker


def test_reported_in_a_poll_opening_a_clause_is_its_source(nlp):
    found = {item["rule"]: item for item in reports(
        nlp, "In a county survey released Friday, most residents backed the new ferry route.")}
    report = found["in_document"]
    assert report["cue"] == "In" and report["speaker"] == "a county survey released Friday"
    assert report["content"] == "most residents backed the new ferry route"


def test_reported_in_a_poll_after_its_clause_is_a_circumstance(nlp):
    found = reports(nlp, "The mayor gained ground on her rival in the latest polls.")
    assert all(item["rule"] != "in_document" for item in found)


def test_reported_in_a_poll_gives_way_to_a_named_speaker_of_the_clause(nlp):
    found = reports(nlp, "In an online poll of 900 voters, the Harbour Institute found that most backed the levy.")
    assert all(item["rule"] != "in_document" for item in found)


def test_reported_in_a_poll_after_a_clause_with_its_own_cue_is_a_circumstance(nlp):
    found = reports(nlp, "Most farmers said they would vote for the levy in a county survey last spring.")
    assert all(item["rule"] != "in_document" for item in found)


def test_reported_in_a_town_is_no_source(nlp):
    assert all(item["rule"] != "in_document" for item in reports(nlp, "In the harbour town, the ferries stopped."))


@pytest.mark.parametrize("text, cue, speaker", [
    ("The union took the rare step of criticizing the minister in public.", "criticizing", "The union"),
    ("She broke with her habit of praising the board at every meeting.", "praising", "her"),
    ("The senator is likely to remind voters of her record by mentioning the dam she saved.", "mentioning",
     "The senator"),
])
def test_reported_gerund_after_a_preposition_finds_who_does_it(nlp, text, cue, speaker):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert found[cue]["speaker"] == speaker


@pytest.mark.parametrize("text, cue, speaker", [
    ("Ann LeeFlagShareReply Tom Hart 5pts February 6, 2016 10:57PM Harbour Plans Unveiled\n"
     "Mayor Tom Alvarez said the pier would reopen in May.", "said", "Mayor Tom Alvarez"),
    ("Jo KentShareLike 9:31PM Bridge Vote\nCouncillor Ruth Ames argued that the bridge was unsafe.",
     "argued", "Councillor Ruth Ames"),
])
def test_reported_speaker_stays_on_the_line_of_its_verb(nlp, text, cue, speaker):
    found = {item["cue"]: item for item in reports(nlp, text)}
    assert found[cue]["speaker"] == speaker


@pytest.mark.parametrize("text", [
    "The talks stalled as the Gulf States pressed for a delay.",
    "Turnout fell as his major issues faded from the news.",
    "The room went quiet as they answered questions from the press.",
])
def test_reported_as_with_a_noun_phrase_is_no_source(nlp, text):
    assert all(item["rule"] != "as_clause" for item in reports(nlp, text))
