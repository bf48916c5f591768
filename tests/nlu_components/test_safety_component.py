"""SafetySignals as a Rasa graph component: it overrides the classifier only where the rules say so."""
from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

import pytest

from nlu_components.safety import SafetySignals


def parse(text, intent="need_to_talk", confidence=0.9, ranking=None, **config):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": confidence},
                                                {"name": "disclose_abuse", "confidence": 0.05}])
    SafetySignals({"override_intents": True, **config}).process([message])
    return message


def entities(message):
    return {e["entity"]: e["value"] for e in message.get(ENTITIES, [])}


def test_danger_anywhere_overrides_whatever_the_classifier_said():
    message = parse("hi can u help with my homework also hes outside my door with a knife", intent="out_of_scope")
    assert message.get(INTENT) == {"name": "immediate_danger", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "immediate_danger"
    assert entities(message)["safety_flag"] == "danger"
    assert message.get("safety")["classifier_intent"] == "out_of_scope"


SURE = {"classifier_sure": 0.95, "danger_below": 0.005}
PLAN = "im going to kill myself tonight, ive thought about it for weeks"


def ranked(intent, confidence, **others):
    return [{"name": intent, "confidence": confidence}] + [{"name": n, "confidence": c} for n, c in others.items()]


def sure_of(intent, confidence, danger):
    return ranked(intent, confidence, immediate_danger=danger)


def test_the_rules_danger_gives_way_only_to_a_classifier_sure_of_something_else():
    message = parse(PLAN, intent="self_harm", confidence=0.97, ranking=sure_of("self_harm", 0.97, 0.001), **SURE)
    assert message.get(INTENT)["name"] == "self_harm"
    assert message.get("safety")["danger_overruled"] is True
    # staff queues and moderators still see what the rules found (handoff/risk.py, moderation/summary.py)
    assert "danger" in {e["value"] for e in message.get(ENTITIES) if e["entity"] == "safety_flag"}


@pytest.mark.parametrize("confidence, danger", [(0.94, 0.001), (0.97, 0.005), (0.97, 0.02)])
def test_an_unsure_classifier_or_a_small_chance_of_danger_leaves_the_rules_reading(confidence, danger):
    message = parse(PLAN, intent="self_harm", confidence=confidence, ranking=sure_of("self_harm", confidence, danger), **SURE)
    assert message.get(INTENT)["name"] == "immediate_danger"
    assert message.get("safety")["danger_overruled"] is False


def test_by_default_and_after_a_fallback_the_rules_danger_always_wins():
    ranking = sure_of("need_to_talk", 0.99, 0.0)
    assert parse(PLAN, intent="need_to_talk", confidence=0.99, ranking=ranking).get(INTENT)["name"] == "immediate_danger"
    fallback = parse(PLAN, intent="nlu_fallback", confidence=0.99, ranking=[{"name": "nlu_fallback", "confidence": 0.99}], **SURE)
    assert fallback.get(INTENT)["name"] == "immediate_danger"


def test_a_sure_classifier_that_overrules_danger_still_gets_the_self_harm_rules():
    # the plan is suicidal even when it is not danger now: need_to_talk must not be the answer
    message = parse(PLAN, intent="need_to_talk", confidence=0.99, ranking=sure_of("need_to_talk", 0.99, 0.0), **SURE)
    assert message.get(INTENT)["name"] == "self_harm"


def test_self_harm_overrides_a_non_safety_intent_but_not_danger():
    assert parse("i keep cutting myself", intent="need_to_talk").get(INTENT)["name"] == "self_harm"
    assert parse("i want to die", intent="immediate_danger").get(INTENT)["name"] == "immediate_danger"


@pytest.mark.parametrize("text", ["lol great hes kicking the door in now, fun times", "im not in danger lol",
                                  "haha just took loads of pills, whatever happens happens"])
def test_a_negation_or_joke_never_takes_the_classifiers_danger_away(text):
    # a false alarm shows 999 beside the usual route; a missed one shows small talk (docs/nlu.md)
    message = parse(text, intent="immediate_danger",
                    ranking=[{"name": "immediate_danger", "confidence": 0.6}, {"name": "need_to_talk", "confidence": 0.3}])
    assert message.get(INTENT)["name"] == "immediate_danger"


def test_classifier_danger_without_any_rule_is_kept():
    message = parse("please help me", intent="immediate_danger", confidence=0.8)
    assert message.get(INTENT)["name"] == "immediate_danger"


def test_audience_entities_and_short_statements_become_inform_audience():
    message = parse("im eleven", intent="need_to_talk")
    assert message.get(INTENT)["name"] == "inform_audience"
    assert entities(message) == {"age": "11", "audience": "child"}


def test_a_topic_message_with_an_age_keeps_its_topic():
    message = parse("im 13 and my stepdad hits me", intent="disclose_abuse")
    assert message.get(INTENT)["name"] == "disclose_abuse"
    assert entities(message)["audience"] == "child"


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "?!?!", "\u200b"])
def test_a_message_with_no_words_is_not_understood_whatever_the_classifier_said(text):
    message = parse(text, intent="affirm", confidence=0.7)
    assert message.get(INTENT)["name"] == "nlu_fallback" and not message.get(ENTITIES)


def test_a_disclosure_the_rules_find_overrides_a_non_topic_intent():
    message = parse("me stepda batters me when me mam's at work", intent="nlu_fallback", confidence=0.3)
    assert message.get(INTENT)["name"] == "disclose_abuse"
    assert entities(message)["safety_flag"] == "disclosure"


def test_a_first_person_disclosure_beats_an_adult_topic_unless_the_writer_is_an_adult():
    assert parse("i dont want to go back to my dads house", intent="concern_for_child").get(INTENT)["name"] == "disclose_abuse"
    assert parse("im her mum and she says she doesnt want to go back to her dads house",
                 intent="concern_for_child").get(INTENT)["name"] == "concern_for_child"


def test_a_disclosure_beats_a_statement_of_age_or_a_privacy_question_from_a_young_writer():
    # the 2018 failure: an age in the message must not turn a disclosure into "stating an age"
    assert parse("I'm being forced to have sex and I'm only 12 years old",
                 intent="inform_audience").get(INTENT)["name"] == "disclose_abuse"
    assert parse("will my mum find out if i say my stepdad hits me",
                 intent="ask_confidential").get(INTENT)["name"] == "disclose_abuse"
    assert parse("im a teacher and a pupil told me her dad hits her",
                 intent="inform_audience").get(INTENT)["name"] == "inform_audience"


def test_a_first_person_disclosure_is_not_a_report_of_images_unless_images_are_mentioned():
    assert parse("im being abused", intent="found_abuse_images").get(INTENT)["name"] == "disclose_abuse"
    assert parse("someone sent me a video of a kid being abused",
                 intent="found_abuse_images").get(INTENT)["name"] == "found_abuse_images"
    assert parse("i saw a video of my sister being abused",
                 intent="found_abuse_images").get(INTENT)["name"] == "found_abuse_images"


def test_a_disclosure_does_not_replace_self_harm_or_danger():
    assert parse("he hits me and i want to die", intent="self_harm").get(INTENT)["name"] == "self_harm"


def test_a_disclosure_the_rules_find_only_negated_neither_adds_nor_takes_away():
    # "no one hurts me" adds no disclosure to a need to talk...
    assert parse("no one hurts me i just feel low", intent="need_to_talk").get(INTENT)["name"] == "need_to_talk"
    # ...and leaves a classifier's disclosure alone: over set A, batches 1-24 and cross-validation, setting such a
    # disclosure aside was wrong all six times it happened (docs/nlu.md, twenty-fourth session)
    for text, confidence in (("he never touches me", 0.9997), ("no one hurts me", 0.5)):
        message = parse(text, intent="disclose_abuse", confidence=confidence,
                        ranking=ranked("disclose_abuse", confidence, need_to_talk=0.3))
        assert message.get(INTENT)["name"] == "disclose_abuse", text
        assert message.get("safety")["disclosure"] is False and message.get("safety")["disclosure_negated"] is True


def test_a_concern_about_a_child_online_is_never_replaced_by_the_rules_disclosure():
    # a first-person disclosure reading, nothing saying the writer is an adult: the classifier's concern stands
    text = "a man on my sons xbox keeps messaging and says he wants to touch me and do stuff to me, what do i do"
    message = parse(text, intent="concern_online_abuse", confidence=0.8,
                    ranking=ranked("concern_online_abuse", 0.8, disclose_abuse=0.1))
    assert message.get("safety")["disclosure"] is True
    assert message.get(INTENT)["name"] == "concern_online_abuse"
    # whereas a whistleblowing reading of the writer's own disclosure still gives way
    own = "my coach touches me in the changing rooms"
    assert parse(own, intent="whistleblowing").get(INTENT)["name"] == "disclose_abuse"


def test_a_question_about_what_we_do_gives_way_only_to_the_writers_own_disclosure():
    own = parse("can you help me, my stepdad hits me", intent="ask_capabilities")
    assert own.get(INTENT)["name"] == "disclose_abuse"
    general = parse("do you help children who are being sexually abused", intent="ask_capabilities")
    assert general.get(INTENT)["name"] == "ask_capabilities"
    # the same general words with no topic chosen are still a disclosure reading
    assert parse("do you help children who are being sexually abused", intent="out_of_scope").get(INTENT)["name"] \
        == "disclose_abuse"


def test_the_writers_own_nude_images_beat_an_adult_online_concern():
    for text in ("im 15 and someone shared my nudes on snapchat", "a lad has got pics of me naked and is sending them round",
                 "my private photos got posted on instagram"):
        assert parse(text, intent="concern_online_abuse").get(INTENT)["name"] == "nude_image_shared", text
    assert parse("someone shared my nudes", intent="out_of_scope").get(INTENT)["name"] == "nude_image_shared"


def test_someone_elses_images_or_an_adult_writer_keep_the_classifiers_topic():
    assert parse("a man asked my daughter for nudes on snapchat", intent="concern_online_abuse").get(INTENT)["name"] \
        == "concern_online_abuse"
    assert parse("im her dad, a boy shared my daughters nude pics", intent="concern_online_abuse").get(INTENT)["name"] \
        == "concern_online_abuse"
    assert parse("nobody has my nudes i just worry", intent="need_to_talk").get(INTENT)["name"] == "need_to_talk"
    assert parse("he shared my nudes and now i want to die", intent="self_harm").get(INTENT)["name"] == "self_harm"

