"""UnknownWordsGate: gibberish and other languages are not understood; text-speak is."""
from __future__ import annotations

import pytest

from benchmarks.nlu_quality import training_examples
from nlu_components.vocabulary import known_share, words

VOCABULARY = {w for text, _ in training_examples() for w in words(text)}


@pytest.mark.parametrize("text", ["asdkjh qwe", "zzzz xxxx yyyy", "Bonjour, je suis triste",
                                  "Hola, mi padre me pega y tengo miedo", "Ich habe Angst vor meinem Vater"])
def test_gibberish_and_other_languages_fall_below_the_gate(text):
    assert known_share(text, VOCABULARY) < 0.3


@pytest.mark.parametrize("text", ["sum1 at skl keeps touchin me", "me mams fella batters me", "im 12",
                                  "my name is Jessica Smith and my stepdad hits me", "cant cope anymore",
                                  "hes outside with a knife"])
def test_how_people_really_write_passes_the_gate(text):
    assert known_share(text, VOCABULARY) >= 0.3, text


def test_no_words_means_no_decision():
    assert known_share("😢 123 !!", VOCABULARY) is None


def _classified(text, intent="affirm"):
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.vocabulary import UnknownWordsGate

    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    UnknownWordsGate({"min_known_share": 0.3}, None, None, VOCABULARY).process([message])
    return message.get(INTENT)["name"]


def test_the_gate_turns_unknown_sentences_into_not_understood():
    assert _classified("asdkjh qwe zzz", intent="out_of_scope") == "nlu_fallback"
    assert _classified("Bonjour je suis triste", intent="need_to_talk") == "nlu_fallback"


def test_one_word_is_left_to_the_classifier():
    assert _classified("yeppers") == "affirm"
    assert _classified("sum1 at skl keeps touchin me", intent="disclose_abuse") == "disclose_abuse"
