"""The MiniLM dense features: the numpy encoder computes what the published model computes, the
distilled word-piece vectors are that encoder's output, and a message's feature puts wording the
classifier never saw near what it means."""
from __future__ import annotations

import numpy as np
import pytest

from nlu_components import minilm
from nlu_components.linear import LinearIntentClassifier, class_weights

pytestmark = pytest.mark.skipif(not (minilm.MODEL_DIR / "model.safetensors").exists(),
                                reason="MiniLM is installed by `make install` (scripts/install_minilm.sh)")


@pytest.fixture(scope="module")
def encoder():
    return minilm.MiniLM()


@pytest.fixture(scope="module")
def pieces():
    return minilm.PieceVectors.from_model()


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_numpy_encoder_matches_the_transformers_implementation(encoder):
    from transformers import BertTokenizerFast, TFBertModel

    reference = TFBertModel.from_pretrained(str(minilm.MODEL_DIR))
    tokenizer = BertTokenizerFast.from_pretrained(str(minilm.MODEL_DIR))
    for text in ["sum1 at skl keeps touchin me", "my stepdad hits me when mum is at work and i dont want to go home"]:
        encoded = tokenizer(text, return_tensors="np")
        expected = reference(dict(encoded)).last_hidden_state.numpy()[0].mean(axis=0)
        ours = encoder.encode(encoded["input_ids"])[0]
        assert np.abs(ours - expected).max() < 1e-4
        assert cosine(ours, expected) > 0.99999


def test_each_piece_vector_is_the_encoding_of_that_piece_alone(encoder, pieces):
    tokenizer = pieces.tokenizer
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    for word in ["hits", "scared", "school", "##ing"]:
        piece = tokenizer.token_to_id(word)
        alone = encoder.encode(np.array([[cls, piece, sep]]))[0]
        assert np.allclose(pieces.vectors[piece].astype(np.float32), alone, atol=2e-3)  # stored as float16


def test_a_message_is_the_normalised_mean_of_its_pieces(pieces):
    rows = pieces.embed(["he hits me", "he hits me", ""])
    ids = pieces.tokenizer.encode("he hits me", add_special_tokens=False).ids
    mean = pieces.vectors[ids].astype(np.float32).mean(axis=0)
    assert np.allclose(rows[0], mean / np.linalg.norm(mean), atol=1e-6)
    assert np.allclose(rows[0], rows[1]) and np.linalg.norm(rows[0]) == pytest.approx(1.0, abs=1e-5)
    assert not rows[2].any()  # nothing to read: no direction, not a crash


@pytest.mark.parametrize("text", ["", " ", "\x00\x01", "😀" * 50, "a" * 100_000, "{\"text\": null}", "مرحبا"])
def test_bad_input_gets_a_finite_feature(pieces, text):
    row = pieces.embed([text])[0]
    assert row.shape == (384,) and np.isfinite(row).all()


def test_unseen_wording_lands_near_what_it_means(pieces):
    # the point of the dense features: words the n-grams never saw are near their meaning
    hit, scared, revise = pieces.embed(["my stepdad hits me", "im so scared", "i need to revise for maths"])
    assert cosine(pieces.embed(["my stepdad batters me"])[0], hit) > cosine(pieces.embed(["my stepdad batters me"])[0], revise)
    assert cosine(pieces.embed(["im petrified"])[0], scared) > cosine(pieces.embed(["im petrified"])[0], revise)


def test_the_vectors_are_cached_and_keyed_on_the_model(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(minilm, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(minilm, "distil", lambda model_dir: calls.append(model_dir) or np.ones((3, 2), np.float32))
    first, second = minilm.piece_vectors(), minilm.piece_vectors()
    assert len(calls) == 1 and first.dtype == np.float16 and np.array_equal(first, second)
    assert [p.name for p in tmp_path.iterdir()] == [f"piece_vectors-{minilm.model_digest()[:16]}.npy"]
    monkeypatch.setattr(minilm, "DISTILLATION", "something else")
    minilm.piece_vectors()
    assert len(calls) == 2  # a change to the distillation is a new cache entry


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make install"):
        minilm.piece_vectors(tmp_path)


def test_urgent_intents_weigh_more_and_the_rest_stay_balanced():
    labels = ["greet"] * 6 + ["self_harm"] * 2 + ["out_of_scope"] * 4
    weights = class_weights(labels, 2.5)
    assert weights["greet"] * 6 == pytest.approx(weights["out_of_scope"] * 4)  # balanced
    assert weights["self_harm"] * 2 == pytest.approx(2.5 * weights["greet"] * 6)
    assert class_weights(labels, 1.0)["self_harm"] * 2 == pytest.approx(weights["greet"] * 6)


def test_the_pieces_travel_with_the_model_and_load_to_the_same_answers(tmp_path, pieces):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    lines = {"disclose_abuse": ["my stepdad hits me", "he hurts me when mum is out", "my uncle touches me"],
             "greet": ["hi", "hello there", "good morning"]}
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    config = {"minilm_pieces": True, "safety_weight": 2.0}
    component = LinearIntentClassifier.create(config, storage, resource, None)
    component.pieces = pieces  # already distilled: no second lookup of the cache
    component.train(TrainingData([Message(data={TEXT: t, INTENT: i}) for i, ts in lines.items() for t in ts]))
    with storage.read_from(resource) as directory:
        assert {"minilm_pieces.npy", "minilm_tokenizer.json"} <= {p.name for p in directory.iterdir()}
    loaded = LinearIntentClassifier.load(config, storage, resource, None)
    texts = [Message(data={TEXT: t}) for t in ["my stepdad batters me", "hiya", ""]]
    assert np.allclose(component.probabilities(texts), loaded.probabilities(texts), atol=1e-6)
    features = loaded._dense(texts)[0].toarray()
    assert features.shape == (3, 384) and np.allclose(features, pieces.embed(["my stepdad batters me", "hiya", ""]))


def test_the_pipeline_comparison_builds_every_variant_and_times_against_no_dense_features(monkeypatch):
    import copy

    import yaml

    from benchmarks import compare_pipelines as compare

    base = yaml.safe_load((minilm.ROOT / "config.yml").read_text())
    assert compare._component(base["pipeline"], compare.LINEAR).get("minilm_pieces") is True  # the default has them
    built = {name: change(copy.deepcopy(base)) for name, (change, _) in compare.VARIANTS.items()
             if "dense MiniLM" not in name}  # Rasa's featurizer variants would install the model: built elsewhere
    baseline = compare._component(built[compare.NO_DENSE]["pipeline"], compare.LINEAR)
    assert baseline.get("minilm_pieces") is False and not baseline.get("dense_features")
    assert baseline.get("minilm_sentence") is False  # neither MiniLM reading: the latency limit's baseline
    assert compare._component(built["safety classes weighted 2.5"]["pipeline"], compare.LINEAR)["safety_weight"] == 2.5
    assert all(step["name"] == compare.SAFETY for step in (c["pipeline"][-1] for c in built.values()))
    # the per-message sentence model replaces the pieces rather than adding to them
    monkeypatch.setattr(compare, "minilm_model_dir", lambda: minilm.MODEL_DIR)
    per_message = compare.linear_dense(copy.deepcopy(base))["pipeline"]
    assert [s["name"] for s in per_message].index("LanguageModelFeaturizer") + 1 == \
        [s["name"] for s in per_message].index(compare.LINEAR)
    assert compare._component(per_message, compare.LINEAR).items() >= {"dense_features": True, "minilm_pieces": False, "minilm_sentence": False}.items()
    rows = [{"name": name, "p95_ms": ms, "train_s": 1.0, "held_f1": 1.0, "eval_f1": 1.0, "audience": 1.0, "false_alarms": 0.0,
             "eval_recall": dict.fromkeys(compare.SAFETY_INTENTS, 1.0), "held_recall": dict.fromkeys(compare.SAFETY_INTENTS, 1.0),
             **{b: {"f1": 1.0, "recall": dict.fromkeys(compare.SAFETY_INTENTS, 1.0), "audience": 1.0, "false_alarms": 0.0}
                for b in compare.BLIND_SETS}}
            for name, ms in (("current (SafetySignals on)", 13.0), (compare.NO_DENSE, 10.0))]
    assert "1.30x (limit 1.5x)" in compare.table(rows)


@pytest.fixture(scope="module")
def sentences():
    return minilm.SentenceEncoder()


def test_messages_of_different_lengths_batched_together_read_as_they_do_alone(encoder, sentences):
    texts = ["hi", "sum1 at skl keeps touchin me", "my stepdad hits me when mum is at work and i dont want to go home", ""]
    together = sentences.embed(texts)
    for text, row in zip(texts, together):
        alone = encoder.encode(np.array([sentences.tokenizer.encode(text).ids]))[0]
        assert np.abs(row - alone / np.linalg.norm(alone)).max() < 1e-5  # padding neither attended to nor pooled
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_a_long_message_is_read_from_its_start_and_still_ends_with_sep(sentences):
    ids = sentences.ids("word " * 1000 + "\x00\ufffd")
    assert len(ids) == minilm.SENTENCE_PIECES and ids[-1] == sentences.tokenizer.token_to_id("[SEP]")
    assert np.isfinite(sentences.embed(["word " * 1000, "\x00\x01", "الطقس جميل"])).all()


def test_the_sentence_model_reads_meaning_the_words_do_not_share(sentences):
    hit, batter, homework = sentences.embed(["my stepdad hits me", "me mams fella batters me", "i have loads of homework"])
    assert hit @ batter > hit @ homework


TRAINING_LINES = {"disclose_abuse": ["my stepdad hits me", "he hurts me when mum is out", "my uncle touches me"],
                  "greet": ["hi", "hello there", "good morning"], "thanks": ["thank you", "cheers", "ta very much"]}


def _record_reads(sentences, monkeypatch) -> list:
    """The texts the sentence model is asked to read from now on (it still reads them)."""
    read = []
    monkeypatch.setattr(sentences, "embed", lambda texts: read.extend(texts) or minilm.SentenceEncoder.embed(sentences, texts))
    return read


def _trained(tmp_path, sentences, config):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    component = LinearIntentClassifier.create(config, storage, resource, None)
    component.sentence = sentences  # already loaded
    component.train(TrainingData([Message(data={TEXT: t, INTENT: i}) for i, ts in TRAINING_LINES.items() for t in ts]))
    return component, storage, resource


def test_the_second_opinion_changes_only_the_unsure_rows_by_its_weight(tmp_path, sentences, monkeypatch):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    config = {"minilm_sentence": True, "sentence_below": 0.6, "sentence_weight": 0.3}
    component, _, _ = _trained(tmp_path, sentences, config)
    messages = [Message(data={TEXT: t}) for t in ["sure", "unsure"]]
    rows = np.array([[0.9, 0.05, 0.05], [0.5, 0.3, 0.2]])
    asked = _record_reads(sentences, monkeypatch)
    mixed = component._second_opinion(messages, rows)
    assert asked == ["unsure"]  # the sentence model runs only where the n-grams are unsure
    assert np.array_equal(mixed[0], rows[0]) and np.array_equal(rows[1], [0.5, 0.3, 0.2])  # input untouched
    own = minilm.SentenceEncoder.embed(sentences, ["unsure"]) @ component.sentence_coef.T + component.sentence_intercept
    own = np.exp(own - own.max()) / np.exp(own - own.max()).sum()
    assert np.allclose(mixed[1], 0.7 * rows[1] + 0.3 * own[0]) and mixed[1].sum() == pytest.approx(1.0)


def test_a_message_read_as_ordinary_but_near_abuse_also_asks_the_sentence_model(tmp_path, sentences, monkeypatch):
    """Sure enough of "greet" to skip the unsure gate, but giving abuse a fifth: that is where a missed
    disclosure hides, so the sentence model reads it. Sure of abuse, or far from it, it does not."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    config = {"minilm_sentence": True, "sentence_below": 0.45, "sentence_weight": 0.3, "sentence_safety_above": 0.2}
    component, _, _ = _trained(tmp_path, sentences, config)
    assert component.classes == ["disclose_abuse", "greet", "thanks"]
    texts = ["near abuse", "at the gate", "far from abuse", "sure of abuse", "unsure"]
    rows = np.array([[0.3, 0.6, 0.1], [0.2, 0.7, 0.1], [0.05, 0.9, 0.05], [0.8, 0.15, 0.05], [0.35, 0.4, 0.25]])
    asked = _record_reads(sentences, monkeypatch)
    mixed = component._second_opinion([Message(data={TEXT: t}) for t in texts], rows)
    assert sorted(asked) == ["at the gate", "near abuse", "unsure"]
    assert np.array_equal(mixed[2], rows[2]) and np.array_equal(mixed[3], rows[3])
    assert not np.allclose(mixed[0], rows[0]) and mixed[0].sum() == pytest.approx(1.0)
    component._config["sentence_safety_above"] = 0.0  # off: only the unsure row is read
    asked.clear()
    component._second_opinion([Message(data={TEXT: t}) for t in texts], rows)
    assert asked == ["unsure"]


def test_the_sentence_model_travels_with_the_model_and_loads_to_the_same_answers(tmp_path, sentences):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    config = {"minilm_sentence": True, "sentence_below": 1.01}  # every message asks for a second opinion
    component, storage, resource = _trained(tmp_path, sentences, config)
    with storage.read_from(resource) as directory:
        assert {p.name for p in (directory / "minilm_encoder").iterdir()} == set(minilm.ENCODER_FILES)
    loaded = LinearIntentClassifier.load(config, storage, resource, None)
    assert loaded.sentence is not None and loaded.sentence.model_dir != sentences.model_dir
    texts = ["my stepdads mate batters me", "ta", "", "x" * 6000]
    ours, theirs = ([Message(data={TEXT: t}) for t in texts] for _ in range(2))
    component.process(ours)
    loaded.process(theirs)
    for a, b in zip(ours, theirs):
        assert a.get(INTENT)["name"] == b.get(INTENT)["name"]
        assert [r["confidence"] for r in a.get(INTENT_RANKING_KEY)] == pytest.approx(
            [r["confidence"] for r in b.get(INTENT_RANKING_KEY)], abs=1e-6)
    without = LinearIntentClassifier.load({**config, "minilm_sentence": False}, storage, resource, None)
    differs = [Message(data={TEXT: t}) for t in texts]
    without.process(differs)
    assert any(abs(a.get(INTENT)["confidence"] - b.get(INTENT)["confidence"]) > 1e-3 for a, b in zip(ours, differs))


def test_the_nearest_training_lines_vote_by_closeness(tmp_path, sentences):
    """Each of the k nearest lines votes for its intent with exp(temperature x cosine); farther lines do not vote."""
    config = {"minilm_sentence": True, "sentence_neighbours": 2, "neighbour_temperature": 20.0}
    component, _, _ = _trained(tmp_path, sentences, config)
    lines = [t for ts in TRAINING_LINES.values() for t in ts]
    assert component.neighbour_vectors.shape == (len(lines), 384)
    assert [component.classes[i] for i in component.neighbour_labels] == [i for i, ts in TRAINING_LINES.items() for _ in ts]
    query = minilm.SentenceEncoder.embed(sentences, ["my step dad hits me"])
    opinion = component.neighbours(query)[0]
    similarity = component.neighbour_vectors @ query[0]
    first, second = np.argsort(-similarity)[:2]
    expected = np.zeros(3)
    for line in (first, second):
        expected[component.neighbour_labels[line]] += np.exp(20.0 * (similarity[line] - similarity[first]))
    assert lines[first] == "my stepdad hits me"
    assert np.allclose(opinion, expected / expected.sum()) and opinion.argmax() == component.classes.index("disclose_abuse")
    component._config["sentence_neighbours"] = 100  # more than there are lines: every line votes, no crash
    everyone = component.neighbours(query)[0]
    weights = np.exp(20.0 * (similarity - similarity.max()))
    by_intent = np.array([weights[component.neighbour_labels == i].sum() for i in range(3)])
    assert np.allclose(everyone, by_intent / by_intent.sum())  # closer lines count for more, not one vote each
    assert everyone.argmax() == component.classes.index("disclose_abuse") and everyone.max() > 0.5


def test_a_message_of_three_words_or_more_also_hears_its_nearest_lines(tmp_path, sentences):
    """Three words or more: the second opinion is half the regression, half the neighbours, mixed in with
    neighbour_weight. Fewer: the regression alone with sentence_weight, as without neighbours."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    config = {"minilm_sentence": True, "sentence_below": 1.01, "sentence_weight": 0.3, "sentence_neighbours": 3,
              "neighbour_share": 0.5, "neighbour_weight": 0.4, "neighbour_min_words": 3}
    component, _, _ = _trained(tmp_path, sentences, config)
    texts = ["my step dad hits me", "cheers mate"]
    rows = np.array([[0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
    mixed = component._second_opinion([Message(data={TEXT: t}) for t in texts], rows)
    embedded = minilm.SentenceEncoder.embed(sentences, texts)
    own = embedded @ component.sentence_coef.T + component.sentence_intercept
    own = np.exp(own - own.max(axis=1, keepdims=True)) / np.exp(own - own.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)
    near = component.neighbours(embedded[:1])[0]
    assert np.allclose(mixed[0], 0.6 * rows[0] + 0.4 * (0.5 * own[0] + 0.5 * near))
    assert np.allclose(mixed[1], 0.7 * rows[1] + 0.3 * own[1])
    assert np.allclose(mixed.sum(axis=1), 1.0)
    assert mixed[0].argmax() == component.classes.index("disclose_abuse")  # the n-grams leaned to greet


def test_the_neighbours_travel_with_the_model_and_are_absent_when_off(tmp_path, sentences):
    from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    config = {"minilm_sentence": True, "sentence_below": 1.01, "sentence_neighbours": 3}
    component, storage, resource = _trained(tmp_path, sentences, config)
    with storage.read_from(resource) as directory, np.load(directory / "linear.npz") as arrays:
        assert arrays["neighbour_vectors"].dtype == np.float16 and len(arrays["neighbour_labels"]) == 9
    loaded = LinearIntentClassifier.load(config, storage, resource, None)
    assert np.array_equal(loaded.neighbour_vectors, component.neighbour_vectors)
    texts = ["my stepdads mate batters me every night", "ta very much mate", "", "\x00\x01 " * 3, "x " * 6000]
    ours, theirs = ([Message(data={TEXT: t}) for t in texts] for _ in range(2))
    component.process(ours)
    loaded.process(theirs)
    for a, b in zip(ours, theirs):
        assert [r["confidence"] for r in a.get(INTENT_RANKING_KEY)] == pytest.approx(
            [r["confidence"] for r in b.get(INTENT_RANKING_KEY)], abs=1e-6)
    (tmp_path / "off").mkdir()
    off, off_storage, off_resource = _trained(tmp_path / "off", sentences, {"minilm_sentence": True})
    assert off.neighbour_vectors is None
    with off_storage.read_from(off_resource) as directory, np.load(directory / "linear.npz") as arrays:
        assert "neighbour_vectors" not in arrays.files


def test_the_sentence_model_learns_from_the_lines_as_written(tmp_path, sentences, monkeypatch):
    """Trained on what it will be asked about at parse time: the message itself, not the n-grams' text."""
    read = _record_reads(sentences, monkeypatch)
    _trained(tmp_path, sentences, {"minilm_sentence": True})
    assert sorted(read) == sorted(t for ts in TRAINING_LINES.values() for t in ts)


def test_the_fast_gelu_is_bert_s_exact_one():
    from scipy.special import erf

    x = np.linspace(-12, 12, 200_001).astype(np.float32)
    assert np.abs(minilm._erf(x) - erf(x.astype(np.float64))).max() < 1e-6
    assert np.allclose(minilm._gelu(x), 0.5 * x * (1 + erf(x / np.sqrt(2.0))), atol=1e-5)
    assert minilm._gelu(x).dtype == np.float32
