"""LinearIntentClassifier: trains, stores without pickle, loads to the same answers, and copes with
how people really write and with bad input."""
from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear import MAX_CHARS, LinearIntentClassifier, clauses, feature_text

LINES = {
    "disclose_abuse": ["my stepdad hits me", "someone at school keeps touching me", "my mum's boyfriend hurts me",
                       "he touches me when nobody is home", "my dad hits me when he is drunk"],
    "greet": ["hi", "hello", "hiya", "hey there", "good morning"],
    "out_of_scope": ["what is the weather", "tell me a joke", "help with my maths homework", "order a pizza",
                     "who won the football"],
}


def training_data() -> TrainingData:
    return TrainingData([Message(data={TEXT: text, INTENT: intent}) for intent, texts in LINES.items()
                         for text in texts])


@pytest.fixture()
def trained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    component = LinearIntentClassifier.create({}, storage, resource, None)
    component.train(training_data())
    return component, storage, resource


def classify(component, text, ranking=None):
    message = Message(data={TEXT: text})
    if ranking:
        message.set(INTENT_RANKING_KEY, ranking)
        message.set(INTENT, ranking[0])
    component.process([message])
    return message


def test_text_speak_lands_on_the_features_of_the_plain_spelling():
    assert "someone at school" in feature_text("sum1 at skl keeps touchin me")
    assert "sum1 at skl" in feature_text("Sum1 at SKL keeps touchin me")


def test_it_learns_the_intents_and_generalises_to_unseen_spellings(trained):
    component, _, _ = trained
    assert classify(component, "sum1 at skl keeps touchin me").get(INTENT)["name"] == "disclose_abuse"
    assert classify(component, "me stepdad hits me").get(INTENT)["name"] == "disclose_abuse"
    assert classify(component, "hiya there").get(INTENT)["name"] == "greet"


def test_confidences_are_a_probability_ranking(trained):
    component, _, _ = trained
    ranking = classify(component, "my stepdad hits me").get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][0] == "disclose_abuse"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0, abs=1e-5)
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_stored_as_arrays_and_json_and_loads_to_the_same_answers(trained):
    component, storage, resource = trained
    with storage.read_from(resource) as directory:
        assert sorted(p.name for p in directory.iterdir()) == ["linear.json", "linear.npz"]
        with np.load(directory / "linear.npz", allow_pickle=False) as arrays:  # no pickled objects inside
            assert arrays["coef"].shape[0] == len(LINES)
    loaded = LinearIntentClassifier.load({}, storage, resource, None)
    for text in ["my stepdad hits me", "hello", "what is the weather", "sum1 at skl"]:
        before = component.probabilities([Message(data={TEXT: text})])
        after = loaded.probabilities([Message(data={TEXT: text})])
        assert np.allclose(before, after, atol=1e-6)


def test_naive_bayes_over_the_word_ngrams_adds_its_log_weights_and_round_trips(tmp_path):
    """``word_nb_weight`` adds a complement naive Bayes's log-weights of the message's word n-grams to the
    regression's scores (docs/nlu.md, fourteenth session); stored as an array, it loads to the same answers."""
    storage, resource = LocalModelStorage(tmp_path), Resource("bayes")
    config = {"word_nb_weight": 1.0, "word_nb_alpha": 0.03}
    component = LinearIntentClassifier.create(config, storage, resource, None)
    component.train(training_data())
    words = len(component.vectorizers[0].vocabulary_)
    assert component.word_nb.shape == (len(LINES), words)
    with storage.read_from(resource) as directory, np.load(directory / "linear.npz", allow_pickle=False) as arrays:
        assert np.array_equal(arrays["word_nb"], component.word_nb)
    text = "sum1 at skl keeps touchin me"
    message = [Message(data={TEXT: text})]
    mixed = component.probabilities(message)[0]
    component._config["word_nb_weight"] = 0.0
    regression_only = component.probabilities(message)[0]
    component._config["word_nb_weight"] = 1.0
    scores = np.log(regression_only) + component.vectorizers[0].transform([feature_text(text)]) @ component.word_nb.T
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert np.allclose(mixed, np.ravel(expected), atol=1e-5)
    assert not np.allclose(mixed, regression_only, atol=1e-3)
    assert component.classes[int(np.argmax(mixed))] == "disclose_abuse"
    loaded = LinearIntentClassifier.load(config, storage, resource, None)
    assert np.allclose(loaded.probabilities(message)[0], mixed, atol=1e-6)
    # off (the default), nothing is fitted or stored
    plain = LinearIntentClassifier.create({}, storage, Resource("plain"), None)
    plain.train(training_data())
    assert plain.word_nb is None


def test_an_untrained_component_leaves_messages_alone(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("nothing")
    component = LinearIntentClassifier.load({}, storage, resource, None)
    message = classify(component, "hello")
    assert message.get(INTENT) is None


@pytest.mark.parametrize("text", ["", "   ", "\x00\xff\ufffd", "🙂" * 50, "a" * (MAX_CHARS * 20),
                                  "'; DROP TABLE events; --", "<script>alert(1)</script>"])
def test_bad_input_gets_a_ranking_and_no_crash(trained, text):
    component, _, _ = trained
    message = classify(component, text)
    assert message.get(INTENT)["name"] in LINES
    assert len(feature_text(text)) <= 2 * MAX_CHARS + 10


def test_blending_weighs_an_earlier_classifiers_ranking(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("blend")
    component = LinearIntentClassifier.create({"blend_with_previous": 0.9}, storage, resource, None)
    component.train(training_data())
    earlier = [{"name": "out_of_scope", "confidence": 1.0}]
    assert classify(component, "my stepdad hits me", ranking=earlier).get(INTENT)["name"] == "out_of_scope"
    alone = LinearIntentClassifier.create({}, storage, Resource("alone"), None)
    alone.train(training_data())
    assert classify(alone, "my stepdad hits me", ranking=earlier).get(INTENT)["name"] == "disclose_abuse"


def test_dense_features_without_a_dense_featurizer_is_a_clear_error(tmp_path):
    component = LinearIntentClassifier.create({"dense_features": True}, LocalModelStorage(tmp_path),
                                              Resource("dense"), None)
    with pytest.raises(ValueError, match="dense featurizer"):
        component.train(training_data())


LONG = ("what is the weather going to be like tomorrow and who won the football last night and tell me a joke "
        "please and order a pizza for tea. my dad hits me when he is drunk")


def test_an_urgent_clause_buried_in_a_long_message_decides(tmp_path):
    config = {"clause_min_words": 20, "clause_confidence": 0.4}
    component = LinearIntentClassifier.create(config, LocalModelStorage(tmp_path), Resource("clauses"), None)
    component.train(training_data())
    whole = component.probabilities([Message(data={TEXT: LONG})])[0]
    assert component.classes[int(np.argmax(whole))] == "out_of_scope"  # the message as a whole reads as chat
    message = classify(component, LONG)
    assert message.get(INTENT)["name"] == "disclose_abuse"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)].count("disclose_abuse") == 1
    # short messages are read whole; so are long ones when the clause reading is switched off
    off = LinearIntentClassifier.create({**config, "clause_min_words": 10_000}, LocalModelStorage(tmp_path),
                                        Resource("whole"), None)
    off.train(training_data())
    assert classify(off, LONG).get(INTENT)["name"] == "out_of_scope"


def test_a_clause_less_sure_than_the_whole_message_does_not_decide(tmp_path, monkeypatch):
    """Found in the eighth session: a clause read as danger with 0.83 was put first in front of the
    whole message's disclosure at 0.95, the ranking fell out of order, and the FallbackClassifier
    (ambiguity threshold 0) read that as ambiguous: five long disclosures were asked to rephrase."""
    config = {"clause_min_words": 20, "clause_confidence": 0.4}
    component = LinearIntentClassifier.create(config, LocalModelStorage(tmp_path), Resource("sure"), None)
    component.train(training_data())
    classes = component.classes

    def rows(whole: float, clause: float):
        def probabilities(messages):
            out = np.full((len(messages), len(classes)), 0.0)
            for i, message in enumerate(messages):
                if message.get(TEXT) == LONG:
                    out[i, classes.index("out_of_scope")] = whole
                else:  # each clause: a disclosure
                    out[i, classes.index("disclose_abuse")] = clause
            return out
        return probabilities

    monkeypatch.setattr(component, "probabilities", rows(whole=0.95, clause=0.8))
    message = classify(component, LONG)
    assert message.get(INTENT)["name"] == "out_of_scope"
    confidences = [r["confidence"] for r in message.get(INTENT_RANKING_KEY)]
    assert confidences == sorted(confidences, reverse=True)
    # as config.yml runs it, Rasa's FallbackClassifier then keeps the intent instead of asking to rephrase
    FallbackClassifier({"threshold": 0.2, "ambiguity_threshold": 0.0}).process([message])
    assert message.get(INTENT)["name"] == "out_of_scope"
    monkeypatch.setattr(component, "probabilities", rows(whole=0.6, clause=0.8))
    assert classify(component, LONG).get(INTENT)["name"] == "disclose_abuse"


def test_clauses_split_sentences_and_joined_statements():
    parts = clauses("i like school and my mum is nice but he hits me. what can you do")
    assert parts == ["i like school", "my mum is nice", "he hits me.", "what can you do"]


def test_a_change_to_the_normalisation_retrains_the_classifier(tmp_path, monkeypatch):
    # Rasa's training cache keys a component on its class source only; feature_text() and
    # normalise() live outside the class, so their code must be in the fingerprint too
    from nlu_components import linear, textnorm

    before = LinearIntentClassifier.fingerprint_addon({})
    changed = tmp_path / "textnorm.py"
    changed.write_text(open(textnorm.__file__).read() + "\n# a new spelling\n")
    monkeypatch.setattr(textnorm, "__file__", str(changed))
    assert linear.LinearIntentClassifier.fingerprint_addon({}) != before


def test_every_trained_component_and_the_normalisation_are_inputs_of_make_train():
    import yaml

    from scripts.train_if_needed import INPUTS, ROOT

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    modules = {step["name"].rsplit(".", 1)[0].replace(".", "/") + ".py" for step in pipeline
               if step["name"].startswith("nlu_components.") and not step["name"].endswith("SafetySignals")}
    # the MiniLM module shapes the dense features; its install script pins the weights' hashes
    assert modules and modules | {"nlu_components/textnorm.py", "nlu_components/minilm.py",
                                  "scripts/install_minilm.sh"} <= set(INPUTS)
    assert all((ROOT / entry).exists() for entry in INPUTS)


def test_cross_validation_folds_hold_every_line_once_and_spread_each_intent():
    from collections import Counter

    from benchmarks.cross_validate import folds_of

    examples = [(f"line {n}", "greet" if n % 3 else "self_harm") for n in range(50)]
    folds = folds_of(list(examples), 5)
    assert sorted(e for fold in folds for e in fold) == sorted(examples)
    for intent, total in Counter(i for _, i in examples).items():
        per_fold = [sum(i == intent for _, i in fold) for fold in folds]
        assert max(per_fold) - min(per_fold) <= 1, per_fold
    assert folds_of(list(examples), 5) == folds  # seeded: the same split every run
