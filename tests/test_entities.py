"""Entities of the example article (gold: ../shared/gold/belarus-iskander.json) and of sentences
written for these tests, which the rules were not built on."""

from __future__ import annotations

import json

import pytest

from tests.conftest import assert_offsets_hold


@pytest.fixture(scope="module")
def example(analyzer, shared):
    text = (shared / "examples" / "belarus-iskander.txt").read_text(encoding="utf-8")
    return analyzer.analyze_text(text)


@pytest.fixture(scope="module")
def gold(shared):
    return json.loads((shared / "gold" / "belarus-iskander.json").read_text(encoding="utf-8"))


def _entity_named(record, *names):
    """The entities whose name or aliases include any of `names`."""
    return [e for e in record.entities if {e.name, *e.aliases} & set(names)]


def _mention_texts(entity):
    return {m.text for m in entity.mentions}


def test_entities_every_gold_entity_is_found_with_its_type(example, gold):
    for expected in gold["entities"]:
        found = _entity_named(example, expected["name"], *expected["aliases"])
        assert found, expected["name"]
        assert expected["type"] in {e.type for e in found}, (expected["name"], [(e.name, e.type) for e in found])


def test_entities_transliteration_variants_of_one_person_are_one_entity(example):
    found = _entity_named(example, "Lukashenka", "Lukashenko", "Alexander Lukashenko")
    assert len(found) == 1
    assert {"Lukashenka", "Alexander Lukashenko"} <= _mention_texts(found[0])


def test_entities_project_spellings_and_the_project_are_one_organisation(example):
    found = _entity_named(example, "Belarusian Gayun", "Belarus Gayun", "Belarus Gayun project")
    assert len(found) == 1
    texts = _mention_texts(found[0])
    assert {"Belarusian Gayun", "Belarus Gayun project", "the project"} <= texts
    assert found[0].type == "ORG"


@pytest.mark.parametrize("name", ["Iskander", "S-400", "Pantsir"])
def test_entities_designations_and_weapon_names_are_products(example, name):
    found = _entity_named(example, name)
    assert [e.type for e in found] == ["PRODUCT"]


def test_entities_plural_products_join_their_singular(example):
    assert "Iskanders" in _entity_named(example, "Iskander")[0].aliases
    assert "S-400s" in _entity_named(example, "S-400")[0].aliases


def test_entities_roles_of_the_president_and_the_governor(example):
    (president,) = _entity_named(example, "Alexander Lukashenko")
    assert "self-proclaimed President of Belarus" in president.roles
    (governor,) = _entity_named(example, "Gleb Nikitin")
    assert governor.roles == ["governor of the Nizhny Novgorod region of the Russian Federation"]


def test_entities_country_glued_to_a_name_is_split_off(example):
    (president,) = _entity_named(example, "Alexander Lukashenko")
    assert "Belarus Alexander Lukashenko" not in _mention_texts(president)
    glued = example.text.index("Belarus Alexander")
    (country,) = _entity_named(example, "Belarus")
    assert glued in {m.start for m in country.mentions}


def test_entities_russia_and_the_russian_federation_are_one_place(example):
    found = _entity_named(example, "Russia", "Russian Federation")
    assert len(found) == 1
    assert found[0].place.country == "RU"


def test_entities_places_carry_country_and_containing_region(example):
    (airfield,) = _entity_named(example, "Zyabrovka military airfield")
    assert airfield.type == "FAC"
    assert airfield.place.within == ["Gomel district", "Gomel region", "Belarus"]
    assert airfield.place.country == "BY"
    (airport,) = _entity_named(example, "Zhytomyr airport")
    assert airport.place.country == "UA"
    assert airport.place.latitude == pytest.approx(50.26, abs=0.1)


def test_entities_his_press_service_is_the_presidents(example):
    (service,) = _entity_named(example, "his press service")
    assert service.type == "ORG"
    assert "Lukashenko" in service.name


def test_entities_ids_follow_first_mention_and_offsets_hold(example):
    assert_offsets_hold(example)
    assert [e.id for e in example.entities] == [f"e{i + 1}" for i in range(len(example.entities))]
    firsts = [min(m.start for m in e.mentions) for e in example.entities]
    assert firsts == sorted(firsts)


def test_entities_unseen_sentences(analyzer):
    text = ("The former Minister of Health of Ukraine Olena Kovalenko met Vasyl Hrytsenko in Kharkiv. "
            "Kovalenko said the T-72 tanks and two Su-25 jets had left. A spokeswoman for the agency, "
            "Iryna Bondar, said she had seen the convoy.")
    record = analyzer.analyze_text(text)
    assert_offsets_hold(record)
    (minister,) = _entity_named(record, "Olena Kovalenko")
    assert "Kovalenko" in _mention_texts(minister)
    assert any("Minister of Health of Ukraine" in role for role in minister.roles)
    assert {e.type for e in _entity_named(record, "T-72", "Su-25")} == {"PRODUCT"}
    (city,) = _entity_named(record, "Kharkiv")
    assert city.place.country == "UA"


@pytest.mark.parametrize("text", ["", " ", "“", "He said. She said.", "S-400" * 3, "the project noted.",
                                  "Mr. " * 50, "’s ’s", "Smith, a , said"])
def test_entities_odd_input_never_crashes(nlp, text):
    doc = nlp(text)
    for entity in doc._.entities:
        for mention in entity.mentions:
            assert doc.text[mention.start:mention.end] == mention.text


def _names(record):
    return {(e.name, e.type) for e in record.entities}


def test_entities_similar_names_of_different_people_stay_apart(nlp):
    doc = nlp("Alexander Morozov met his sister Alexandra Morozova in Minsk. "
              "Ivan Shevchuk and his son Taras Shevchuk run the farm. Taras Shevchuk said prices fell.")
    people = [e for e in doc._.entities if e.type == "PERSON"]
    names = {e.name for e in people}
    assert {"Alexander Morozov", "Alexandra Morozova", "Ivan Shevchuk", "Taras Shevchuk"} <= names
    taras = next(e for e in people if e.name == "Taras Shevchuk")
    assert len([m for m in taras.mentions if m.kind == "name"]) == 2


def test_entities_spelling_variants_in_one_article_merge(nlp):
    doc = nlp("Volodymyr Zelenskyy arrived in Kyiv on Monday. Zelensky said Kiev would hold.")
    zelensky = [e for e in doc._.entities if e.type == "PERSON"]
    assert len(zelensky) == 1 and {"Volodymyr Zelenskyy", "Zelensky"} <= _mention_texts(zelensky[0])
    cities = [e for e in doc._.entities if e.type == "GPE"]
    assert len(cities) == 1 and {"Kyiv", "Kiev"} <= _mention_texts(cities[0])


def test_entities_model_numbers_and_codes_are_products(nlp):
    doc = nlp("Ryanair ordered ten Boeing 737-800 jets. The Ryanair CEO said the 737-800 was cheaper "
              "than the Airbus A320. Later the iPhone 4 went on sale.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("Boeing 737-800") == "PRODUCT"
    assert types.get("Airbus A320") == "PRODUCT"
    assert types.get("iPhone 4") == "PRODUCT"
    assert types.get("Ryanair") == "ORG"


def test_entities_news_agencies_are_organisations(nlp):
    doc = nlp("The minister told Interfax-Ukraine and the Associated Press that talks had stalled.")
    assert {("Interfax-Ukraine", "ORG"), ("Associated Press", "ORG")} <= {(e.name, e.type) for e in doc._.entities}


def test_entities_surname_in_sentence_start_joins_the_person(nlp):
    doc = nlp("Apple chief Tim Cook spoke on Monday. Cook added that sales rose.")
    (cook,) = [e for e in doc._.entities if "Cook" in e.name]
    assert cook.type == "PERSON" and {"Tim Cook", "Cook"} <= _mention_texts(cook)


def test_entities_region_chain_gives_within(nlp):
    doc = nlp("The strike hit a depot near Kolomyia (Ivano-Frankivsk region, Ukraine) at night.")
    (depot_town,) = [e for e in doc._.entities if e.name == "Kolomyia"]
    assert depot_town.place.country == "UA"
    assert depot_town.place.within == ["Ivano-Frankivsk region", "Ukraine"]


def test_entities_a_missed_name_coordinated_with_a_found_one_gets_its_type(nlp):
    doc = nlp("Sales at Renault, Opel and Fiat grew in March.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("Opel") == "ORG"


def test_entities_product_names_keep_their_capitalised_words(nlp):
    doc = nlp("Songs bought on the iTunes Music Store play on any iPod.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("iTunes Music Store") == "PRODUCT" and types.get("iPod") == "PRODUCT"


def test_entities_a_descriptive_noun_gives_the_type(nlp):
    # "animation studio X", "the web browser Y", "X, the new version of ...": the noun before or in
    # apposition says what the name is, whatever the model guessed (LOC, NORP, PERSON here).
    doc = nlp("The merger gives the software maker control of animation studio Brightlake and the web "
              "browser Quillfox. Reviewers praised Kestrel, the new version of the operating system, on Tuesday.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("Brightlake") == "ORG"
    assert types.get("Quillfox") == "PRODUCT"
    assert types.get("Kestrel") == "PRODUCT"


def test_entities_a_lone_word_person_coordinated_with_products_is_a_product(nlp):
    doc = nlp("The suite bundles Pebble, Mosaic and iTunes with every laptop.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("Mosaic") == "PRODUCT" and types.get("iTunes") == "PRODUCT"


def test_entities_a_lone_word_after_an_article_is_no_person(nlp):
    # "a Hollister": people take no article; with nothing else to tell its type it is OTHER.
    doc = nlp("Buyers who tried a Hollister said it felt light.")
    assert [(e.name, e.type) for e in doc._.entities if e.name == "Hollister"] == [("Hollister", "OTHER")]


def test_entities_a_lone_surname_with_a_title_stays_a_person(nlp):
    # "The Hollister plan" has an article before the name, but "Mr." shows a person elsewhere.
    doc = nlp("Reporters asked Mr. Hollister about the merger. The Hollister plan failed.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("Hollister") == "PERSON"


def test_entities_numbers_the_model_calls_names_are_dropped(nlp):
    doc = nlp("Quarterly profit rose to 140bn yen in 2009, and 3M said sales grew.")
    names = {e.name for e in doc._.entities}
    assert not any(ch.isdigit() for name in names if name != "3M" for ch in name)


def test_entities_a_capitalised_word_after_a_model_number_belongs_to_it(nlp):
    doc = nlp("Qantas ordered the first 787 Dreamliner in May.")
    types = {e.name: e.type for e in doc._.entities}
    assert types.get("787 Dreamliner") == "PRODUCT" and types.get("Qantas") == "ORG"


def test_entities_token_cache_gives_span_text_and_follows_the_doc(nlp):
    from onrecord.analyse.tokens import doc_tokens, release, span_text

    first = nlp.make_doc("Boeing's 787  Dreamliner flew, the firm said.")
    tokens = doc_tokens(first)
    for start in range(len(first)):
        for end in range(start + 1, len(first) + 1):
            assert span_text(tokens, start, end) == first[start:end].text
    second = nlp.make_doc("Another text.")
    assert [t.text for t in doc_tokens(second)] == ["Another", "text", "."]
    release()
    assert doc_tokens(first)[0].doc is first
