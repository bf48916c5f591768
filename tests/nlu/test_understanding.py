"""Understanding that generalises (issue 8): floors on messages the model never trained on.

The trained model (models/current.tar.gz) is loaded once and scored on the held-out NLU test set
(tests/nlu/test_nlu.yml), on the evaluation set (tests/evaluation/eval_set.yml, written
separately, never trained on) and on the blind batches (tests/evaluation/eval_set_blind*.yml,
written blind and never read while tuning: only their figures are printed, tests/evaluation/README.md). The floors sit slightly below what the default pipeline measured
(docs/nlu.md), so a change that makes understanding worse fails the build. The issue's targets
are higher than some floors: docs/nlu.md says which are met. Figures are printed (pytest -s) and
written to results/nlu_figures.json.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import pytest
import yaml

from benchmarks.nlu_quality import (
    BLIND_SETS, RESERVED_SETS, SAFETY_INTENTS, Parser, Recorded, blind_messages, eval_messages, evaluation_figures, intent_figures, latency_p95, normalise,
    held_out_examples, training_examples)
from nlu_components.linear import LinearIntentClassifier

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"

# Measured with the default pipeline (LinearIntentClassifier C 20 with naive Bayes over the word n-grams, MiniLM
# word-piece vectors and the sentence model's second opinion under 0.55 or with a safety intent at 0.35 or more,
# joined on messages of three words or more by the vote of the 10 nearest training lines, FallbackClassifier 0.2,
# UnknownWordsGate, SafetySignals whose danger reading gives way to a classifier 0.94 sure of another intent with
# danger under 0.005; 17,885 training lines), 2026-12-02, twenty-third session (docs/nlu.md, "Targets", has every
# set's figures from that model): held-out macro-F1 0.998, recall danger / self-harm / disclosure 1.00; evaluation
# set A 0.973 / 1.000 / 1.000 / 1.000, audience 0.989; blind batches 1-24 macro-F1 0.924-0.995, recalls
# 0.862-1.000, audience 0.978-0.996, false alarms 0.000-0.018. The floors were set when each
# set was first measured and rise only deliberately: every figure is above its set's floor. Every set but batch 19
# is within the issue's 2% false-alarm limit, so that is their ceiling (batch 15's was its measured 2.05% until the
# rules' danger reading learned to give way, fifteenth session: 1.4% since).
# Recall floors sit about one message below, macro-F1 floors about 0.01 below.
SAFETY_RECALLS = ("recall_immediate_danger", "recall_self_harm", "recall_disclose_abuse")


def floors(macro_f1: float, danger: float, self_harm: float, disclosure: float, audience: Optional[float] = 0.97) -> dict:
    """A set's floors: macro-F1, the three safety recalls and (for the sets that record it) audience."""
    bounds = {"macro_f1": macro_f1, **dict(zip(SAFETY_RECALLS, (danger, self_harm, disclosure)))}
    return bounds if audience is None else {**bounds, "audience_accuracy": audience}


HELD_OUT_FLOORS = floors(0.97, 0.96, 0.96, 0.96, audience=None)
# evaluation set A and the blind batches, each one's floors (with how each batch was first measured)
SET_FLOORS = {
    "evaluation_set": floors(0.945, 0.97, 0.97, 0.93),
    "blind_set": floors(0.95, 0.96, 0.89, 0.94),
    "blind_set_2": floors(0.955, 0.95, 0.93, 0.94),
    "blind_set_3": floors(0.975, 0.93, 0.97, 0.98),
    # Blind batch 4 was kept unmeasured through the fifth session and measured once, on its final model:
    # macro-F1 0.955, recall danger 0.963 / self-harm 0.926 / disclosure 0.950, audience 0.988, false alarms 0.012.
    "blind_set_4": floors(0.95, 0.96, 0.92, 0.95),
    # Blind batch 5 was kept unmeasured through the rest of the fifth session and measured once, on its final
    # model: macro-F1 0.930, recall danger 0.943 / self-harm 0.885 / disclosure 0.966, audience 0.988, danger
    # false alarms 0.021 (9 of 429: above the 2%, so its ceiling is what was measured, not the target).
    # The sixth session's model: 0.927 / 0.962 / 0.923 / 0.983, false alarms 0.019; the floors rose with it.
    "blind_set_5": floors(0.955, 0.96, 0.94, 0.98),
    # Blind batch 6 was kept unmeasured from the start of the sixth session and measured once, on the model of
    # the middle of that session (after two data rounds): macro-F1 0.942, recall danger 0.897 / self-harm
    # 0.983 / disclosure 0.935, audience 0.984, danger false alarms 0.012.
    # The session's final model: 0.939 / 0.897 / 0.983 / 0.968, audience 0.984, false alarms 0.012.
    "blind_set_6": floors(0.945, 0.94, 0.96, 0.95),
    # Blind batch 7 was kept unmeasured through the whole sixth session and measured once, on its final model
    # (the honest figure): macro-F1 0.917, recall danger 0.983 / self-harm 0.949 / disclosure 0.969, audience
    # 0.996, danger false alarms 0.021 (9 of 430: above the 2%, so its ceiling is what was measured).
    "blind_set_7": floors(0.95, 0.95, 0.96, 0.95),
    # Blind batch 8 was written at the end of the sixth session, kept unmeasured through the seventh and measured
    # once, on its final model (the honest figure): macro-F1 0.913, recall danger 1.000 / self-harm 0.930 /
    # disclosure 0.857, audience 0.986, danger false alarms 0.023 (10 of 437: above the 2%).
    # The eighth session's rules and model: 0.921 / 1.000 / 0.947 / 0.857, false alarms 0.018 (8 of 437).
    "blind_set_8": floors(0.915, 0.98, 0.94, 0.85),
    # Blind batch 9 was written at the start of the seventh session, kept unmeasured through it and the eighth, and
    # measured once, on the eighth session's final model (the honest figure): macro-F1 0.906, recall danger 0.950 /
    # self-harm 0.967 / disclosure 0.922, audience 0.994, danger false alarms 0.011 (5 of 440).
    "blind_set_9": floors(0.93, 0.95, 0.96, 0.96),
    # Blind batch 10 was written at the start of the eighth session, kept unmeasured through it and the ninth, and
    # measured once, on the ninth session's final model (the honest figure): macro-F1 0.915, recall danger 0.967 /
    # self-harm 0.950 / disclosure 0.908, audience 0.984, danger false alarms 0.014 (6 of 440).
    # The tenth session's model: 0.927 / 0.983 / 0.950 / 0.908, false alarms 0.014.
    # The eleventh session's model: 0.927 / 0.983 / 0.967 / 0.938, audience 0.984, false alarms 0.011.
    # The twelfth session's model: 0.928 / 0.983 / 0.967 / 0.923, audience 0.984, false alarms 0.011.
    # The thirteenth session's model: 0.928 / 0.983 / 0.967 / 0.923, audience 0.984, false alarms 0.011.
    "blind_set_10": floors(0.915, 0.965, 0.95, 0.92),
    # Blind batch 11 was written at the start of the ninth session, kept unmeasured through it and the tenth, and
    # measured once, on the tenth session's final model (the honest figure): macro-F1 0.944, recall danger 0.983 /
    # self-harm 0.917 / disclosure 0.969, audience 0.986, danger false alarms 0.014 (6 of 440).
    # The eleventh session's model: 0.940 / 0.967 / 0.917 / 0.954, audience 0.986, false alarms 0.014.
    # The twelfth session's model: 0.942 / 0.967 / 0.917 / 0.969, audience 0.986, false alarms 0.014.
    # The thirteenth session's model: 0.942 / 0.967 / 0.917 / 0.969, audience 0.986, false alarms 0.014.
    "blind_set_11": floors(0.93, 0.96, 0.90, 0.95),
    # Blind batch 12 was written at the start of the tenth session, kept unmeasured through it and the eleventh,
    # and measured once, on the eleventh session's final model (the honest figure): macro-F1 0.955, recall danger
    # 0.967 / self-harm 0.983 / disclosure 0.954, audience 0.996, danger false alarms 0.005 (2 of 440).
    # The twelfth session's model: 0.956 / 0.967 / 0.983 / 0.969, audience 0.996, false alarms 0.005.
    # The thirteenth session's model: 0.956 / 0.967 / 0.983 / 0.969, audience 0.996, false alarms 0.005.
    "blind_set_12": floors(0.945, 0.95, 0.96, 0.93),
    # Blind batch 13 was written at the start of the eleventh session, kept unmeasured through it and the twelfth,
    # and measured once, on the twelfth session's final model (the honest figure): macro-F1 0.928, recall danger
    # 0.950 / self-harm 0.983 / disclosure 0.954, audience 0.992, danger false alarms 0.016 (7 of 440).
    # The thirteenth session's model: 0.928 / 0.950 / 0.983 / 0.954, audience 0.992, false alarms 0.016.
    "blind_set_13": floors(0.92, 0.93, 0.96, 0.93),
    # Blind batch 14 was written at the start of the twelfth session, kept unmeasured through it and the thirteenth,
    # and measured once, on the thirteenth session's final model (the honest figure): macro-F1 0.923, recall danger
    # 0.967 / self-harm 0.950 / disclosure 0.938, audience 0.978, danger false alarms 0.011 (5 of 440).
    # With the safety gate then moved to 0.35 (the final model): 0.924 / 0.967 / 0.950 / 0.938, audience 0.978,
    # false alarms 0.009.
    "blind_set_14": floors(0.915, 0.95, 0.93, 0.92),
    # Blind batch 15 was written at the start of the thirteenth session, kept unmeasured through it and the
    # fourteenth, and measured once, on the fourteenth session's final model (the honest figure): macro-F1 0.951,
    # recall danger 0.967 / self-harm 0.950 / disclosure 0.954, audience 0.980, danger false alarms 0.0205 (9 of
    # 440: above the 2%, so its ceiling is what was measured; 5 of the 9 are self-harm or disclosure
    # messages the rules read as danger, which still get their own routes after 999). The thirteenth session's
    # model scored 0.937 / 0.933 / 0.933 / 0.923 on it, with the same 2.05%.
    # The fifteenth session's model (rules' danger gives way to a sure classifier): 0.954 / 0.967 / 0.983 / 0.954,
    # audience 0.980, false alarms 0.014 (6 of 440).
    "blind_set_15": floors(0.94, 0.95, 0.93, 0.93),
    # Blind batch 16 was written at the start of the fourteenth session, kept unmeasured through it and the
    # fifteenth, and measured once, on the fifteenth session's final model (the honest figure): macro-F1 0.932,
    # recall danger 1.000 / self-harm 0.950 / disclosure 0.969, audience 0.992, danger false alarms 0.018 (8 of
    # 440), safety routed 0.989. The same model with the rules' danger always winning: 0.928 / 1.000 / 0.950 /
    # 0.969, false alarms 0.023 (10 of 440).
    "blind_set_16": floors(0.92, 0.98, 0.93, 0.95),
    # Blind batch 17 was written at the start of the fifteenth session, kept unmeasured through it and the
    # sixteenth, and measured once, on the sixteenth session's final model (the honest figure): macro-F1 0.957,
    # recall danger 0.983 / self-harm 1.000 / disclosure 0.969, audience 0.992, danger false alarms 0.009 (4 of
    # 440), safety routed 0.995. The same model with the fifteenth session's rules, or with SafetySignals off,
    # scores the same on it.
    "blind_set_17": floors(0.945, 0.96, 0.98, 0.95),
    # Blind batch 18 was written in the middle of the fifteenth session, kept unmeasured through it and the
    # sixteenth, and measured once, on the seventeenth session's final model (the honest figure): macro-F1 0.966,
    # recall danger 1.000 / self-harm 0.917 / disclosure 0.985, audience 0.992, danger false alarms 0.007 (3 of
    # 440), safety routed 0.995. The sixteenth session's model and rules score 0.970 with the same recalls on it.
    "blind_set_18": floors(0.955, 0.98, 0.90, 0.96),
    # Blind batch 19 was written at the start of the sixteenth session, kept unmeasured through it and the
    # seventeenth, and measured once, on the eighteenth session's final model (the honest figure): macro-F1 0.949,
    # recall danger 0.983 / self-harm 0.967 / disclosure 0.862 (9 of 65 missed: 4 read as danger, 3 as self-harm),
    # audience 0.990, danger false alarms 0.0205 (9 of 440: above the 2%, so its ceiling is what was
    # measured), safety routed 0.984. The same model with the seventeenth session's rules scores the same on it.
    "blind_set_19": floors(0.94, 0.96, 0.95, 0.845),
    # Blind batch 20 was written at the start of the seventeenth session, kept unmeasured through it and the
    # eighteenth, and measured once, on the nineteenth session's final model (the honest figure): macro-F1 0.960,
    # recall danger 0.983 / self-harm 0.950 / disclosure 0.923, audience 0.994, danger false alarms 0.016 (7 of 440),
    # safety routed 0.989. Its one missed danger message was turned into a disclosure by a rule new that session
    # (an unsure classifier's danger giving way to abuse the rules read); the rule was withdrawn, and without it
    # the same model scores 0.961 / 1.000 / 0.950 / 0.923 on it.
    "blind_set_20": floors(0.95, 0.98, 0.93, 0.90),
    # twentieth session: batch 21 measured once on the final model, 0.958 / 0.983 / 0.983 / 0.969, audience 0.994,
    # false alarms 0.7% (3 of 440)
    "blind_set_21": floors(0.945, 0.96, 0.96, 0.95),
    # twenty-first session: batch 22 (written in the nineteenth) measured once on the final model, 0.945 / 0.983 /
    # 1.000 / 0.954, audience 0.988, false alarms 1.4% (6 of 440)
    "blind_set_22": floors(0.935, 0.96, 0.98, 0.93),
    # twenty-second session: batch 23 (written in the twentieth) measured once on the final model, 0.959 / 1.000 /
    # 0.983 / 0.985, audience 0.986, false alarms 0.2% (1 of 440): every target met
    "blind_set_23": floors(0.95, 0.98, 0.96, 0.965),
    # twenty-third session: batch 24 (written in the twenty-first) measured once on the final model, 0.924 / 0.984 /
    # 1.000 / 0.971, audience 0.988, false alarms 0.5% (2 of 437)
    "blind_set_24": floors(0.915, 0.965, 0.98, 0.955),
    # twenty-fourth session: batch 25 (written in the twenty-second) measured once on the final model, 0.947 / 0.984 /
    # 0.919 / 0.971, audience 0.982, false alarms 1.8% (8 of 437)
    "blind_set_25": floors(0.935, 0.965, 0.90, 0.955),
}
# the limit on danger false alarms among ordinary messages
FALSE_ALARM_CEILINGS = {"danger_false_alarm_rate": 0.02}
# a set whose honest measurement was already over that limit keeps what was measured as its ceiling (batch 15's
# 2.05% became 1.4% in the fifteenth session; batch 19 measured 2.05%, 9 of 440, in the eighteenth)
SET_FALSE_ALARM_CEILINGS: dict = {"blind_set_19": {"danger_false_alarm_rate": 0.021}}
# Danger, self-harm and abuse read as one of the three still get 999 or their own routes (docs/nlu.md, "A false
# danger alarm costs little"); read as anything else they get none. The share so routed was 0.982-1.000 on every
# set in the twelfth session (blind 13, the honest one: 0.989, 2 of 185 not routed) and 0.978-1.000 in the thirteenth
# (blind 14, the honest one: 0.978, 4 of 185); this keeps it there.
SAFETY_ROUTED_FLOOR = {"safety_routed": 0.97}


@pytest.fixture(scope="module")
def figures():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    model = Parser(MODEL)
    classifier = model.component(LinearIntentClassifier)
    before = (classifier.parsed, classifier.second_opinions)
    parser = Recorded(model)
    result = {"held_out_test": intent_figures(parser, held_out_examples()),
              "evaluation_set": evaluation_figures(parser, eval_messages()),
              **{name: evaluation_figures(parser, blind_messages(name)) for name in BLIND_SETS}}
    result["parse_latency_p95_ms"] = latency_p95(parser.latencies) * 1000
    result["second_opinion_share"] = (classifier.second_opinions - before[1]) / max(classifier.parsed - before[0], 1)
    summary = {name: {k: v for k, v in figs.items() if isinstance(v, (int, float))}
               for name, figs in result.items() if isinstance(figs, dict)}
    summary.update({k: result[k] for k in ("parse_latency_p95_ms", "second_opinion_share")})
    out = ROOT / "results" / "nlu_figures.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2))
    print("\nNLU figures:", json.dumps(summary, indent=2))
    return result


@pytest.mark.parametrize("name,floor", sorted(HELD_OUT_FLOORS.items()))
def test_held_out_floor(figures, name, floor):
    value = figures["held_out_test"][name]
    assert value >= floor, f"held-out {name} {value:.3f} < floor {floor}; errors: {figures['held_out_test']['errors'][:10]}"


# evaluation set A and the blind batches: figures only in the messages, so the blind batches stay unread
BOUNDS = [(figure_set, name, bound, v) for figure_set, set_floors in SET_FLOORS.items()
          for bound, limits in ((">=", {**set_floors, **SAFETY_ROUTED_FLOOR}),
                                ("<=", SET_FALSE_ALARM_CEILINGS.get(figure_set, FALSE_ALARM_CEILINGS)))
          for name, v in sorted(limits.items())]


@pytest.mark.parametrize("figure_set,name,bound,limit", BOUNDS)
def test_evaluation_bound(figures, figure_set, name, bound, limit):
    value = figures[figure_set][name]
    ok = value >= limit if bound == ">=" else value <= limit
    assert ok, f"{figure_set} {name} {value:.3f} not {bound} {limit}"


# The sentence model's second opinion costs about 10 ms a message. While fewer than 1 in 20 messages take it,
# the p95 parse latency stays near the n-grams' own: 1.22x the pipeline without MiniLM in the tenth session with
# 3.9-4.6% read, 1.35x in the twelfth with 4.8% (the unsure gate and the safety gate together), 1.29x in the
# thirteenth with 4.4% (the safety gate moved 0.25 -> 0.35 when batch 14 took the share to 5.1%), 1.21x in the
# fourteenth with 3.1% (naive Bayes made the classifier surer; the unsure gate went 0.45 -> 0.55);
# benchmarks/compare_pipelines.py times it, this bounds it without a clock. A data round or a gate that sends
# more messages to it would break the 1.5x latency limit.
SECOND_OPINION_CEILING = 0.05


def test_sentence_model_reads_few_enough_messages_to_keep_p95_latency(figures):
    share = figures["second_opinion_share"]
    assert 0 < share <= SECOND_OPINION_CEILING, f"the sentence model read {share:.1%} of parsed messages"


def test_safety_intents_are_scored():
    labels = {gold for _, gold in held_out_examples()} | {m["intent"] for m in eval_messages()}
    assert set(SAFETY_INTENTS) <= labels


def test_no_held_out_or_evaluation_message_is_trained_on():
    trained = {normalise(text) for text, _ in training_examples()}
    held = {normalise(text) for text, _ in held_out_examples()}
    evaluation = {normalise(m["text"]) for m in eval_messages()}
    batches = {name: blind_messages(name) for name in (*BLIND_SETS, *RESERVED_SETS)}
    blind = {normalise(m["text"]) for messages in batches.values() for m in messages}
    assert not trained & held, sorted(trained & held)[:20]
    assert not trained & evaluation, sorted(trained & evaluation)[:20]
    assert not trained & blind, f"{len(trained & blind)} training lines are in a blind batch"  # not printed: keep them unread
    assert len(eval_messages()) >= 400 and len(batches["blind_set"]) >= 300
    assert len(batches["blind_set_2"]) >= 400 and len(batches["blind_set_3"]) >= 400
    assert len(batches["blind_set_4"]) >= 400 and len(batches["blind_set_5"]) >= 450
    assert len(batches["blind_set_6"]) >= 480 and len(batches["blind_set_7"]) >= 480
    later = [name for name in batches if name.removeprefix("blind_set_").isdigit() and int(name.removeprefix("blind_set_")) >= 8]
    assert len(later) >= 20 and all(len(batches[name]) >= 480 for name in later)  # batches 8-27 and any added later


@pytest.mark.parametrize("name", [*BLIND_SETS, *RESERVED_SETS])
def test_blind_batch_labels_are_well_formed(name):
    """Every message carries an intent the domain knows, an audience, and danger exactly for
    immediate_danger; the count of bad rows is reported, never the rows (the batch stays unread)."""
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    messages = blind_messages(name)
    bad = [m for m in messages
           if not (isinstance(m.get("text"), str) and m["text"].strip() and m.get("intent") in intents
                   and m.get("audience") in ("child", "adult", "unknown")
                   and m.get("danger") is (m["intent"] == "immediate_danger") and m.get("category"))]
    assert not bad, f"{len(bad)} of {len(messages)} messages in {name} are malformed"


def test_every_measured_batch_has_floors():
    assert set(SET_FLOORS) == {"evaluation_set", *BLIND_SETS}, "a blind batch measured without floors in make test"
