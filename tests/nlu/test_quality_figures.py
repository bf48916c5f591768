"""The figures benchmarks/nlu_quality.py and benchmarks/safety_misses.py report, on a parser with fixed answers
(no model needed); safety_misses never prints a message."""
from __future__ import annotations

import pytest

from benchmarks.nlu_quality import intent_figures
from benchmarks.safety_misses import count, report, rules_alone


class Fixed:
    def __init__(self, answers):
        self.answers = answers

    def parse(self, text):
        answer = self.answers[text]
        return {"intent": {"name": answer}, "entities": []} if isinstance(answer, str) else answer


def test_recall_counts_the_exact_intent_and_safety_routed_any_of_the_three():
    examples = [("now", "immediate_danger"), ("ongoing", "immediate_danger"), ("cuts", "self_harm"),
                ("told", "disclose_abuse"), ("hi", "greet")]
    answers = {"now": "immediate_danger", "ongoing": "disclose_abuse", "cuts": "need_to_talk",
               "told": "disclose_abuse", "hi": "immediate_danger"}
    figures = intent_figures(Fixed(answers), examples)
    assert figures["recall_immediate_danger"] == 0.5 and figures["recall_self_harm"] == 0.0
    # danger read as abuse still gets a safety route; self-harm read as need_to_talk does not; a greeting
    # read as danger is a false alarm, not a routed safety message
    assert figures["safety_routed"] == pytest.approx(3 / 4)
    assert intent_figures(Fixed({"hi": "greet"}), [("hi", "greet")])["safety_routed"] == 1.0


def parsed(intent, ranking, classifier_intent=None):
    result = {"intent": {"name": intent}, "intent_ranking": [{"name": n} for n in ranking]}
    if classifier_intent:
        result["safety"] = {"classifier_intent": classifier_intent}
    return result


def test_misses_and_false_alarms_are_counted_by_label_source_and_rank_and_no_text_is_printed():
    messages = [{"text": "secret one", "intent": "disclose_abuse"}, {"text": "secret two", "intent": "immediate_danger"},
                {"text": "secret three", "intent": "self_harm"}, {"text": "secret four", "intent": "need_to_talk"},
                {"text": "secret five", "intent": "self_harm"}]
    answers = {
        "secret one": parsed("ask_advice", ["ask_advice", "disclose_abuse"]),  # classifier, gold second
        "secret two": parsed("disclose_abuse", ["disclose_abuse", "greet"]),  # danger not ranked at all
        # the rules lifted a self-harm reading to danger: a miss by the rules and, as nlu_quality counts it, an alarm
        "secret three": parsed("immediate_danger", ["immediate_danger", "self_harm"], classifier_intent="self_harm"),
        "secret four": parsed("immediate_danger", ["immediate_danger"], classifier_intent="need_to_talk"),
        "secret five": parsed("self_harm", ["self_harm"]),
    }
    misses, alarms = count(Fixed(answers), messages)
    assert misses == {("disclose_abuse", "ask_advice", "classifier", 2): 1,
                      ("immediate_danger", "disclose_abuse", "classifier", None): 1,
                      ("self_harm", "immediate_danger", "rules", 2): 1}
    assert alarms == {("need_to_talk", "rules"): 1, ("self_harm", "rules"): 1}
    lines = report(misses, alarms)
    assert lines[0].startswith("safety messages missed: 3 (2 read as another safety intent")
    assert not any("secret" in line for line in lines)


def test_rules_alone_counts_danger_found_and_other_messages_called_danger():
    class Flag:
        def __init__(self, danger):
            self.danger = danger

    messages = [{"text": "a", "intent": "immediate_danger", "danger": True},
                {"text": "b", "intent": "immediate_danger", "danger": True},
                {"text": "c", "intent": "need_to_talk"}, {"text": "d", "intent": "self_harm"}]
    flags = {"a": True, "b": False, "c": True, "d": False}
    assert rules_alone(lambda text: Flag(flags[text]), messages) == (1, 2, 1, 2)


def test_the_targets_table_counts_misses_and_sets_meeting_each_target_and_quotes_no_message():
    from benchmarks.nlu_quality import evaluation_figures, figures_only
    from benchmarks.targets_table import markdown, order

    def message(text, intent, audience="unknown"):
        return {"text": text, "intent": intent, "audience": audience, "danger": intent == "immediate_danger"}

    good = [message(f"secret {i}", intent) for i, intent in enumerate(["immediate_danger", "self_harm", "disclose_abuse", "greet"])]
    answers = {m["text"]: m["intent"] for m in good}
    weak = [message("hidden one", "disclose_abuse"), message("hidden two", "disclose_abuse"),
            message("hidden three", "greet"), message("hidden four", "immediate_danger"), message("hidden five", "self_harm")]
    answers.update({"hidden one": "disclose_abuse", "hidden two": "need_to_talk", "hidden three": "immediate_danger",
                    "hidden four": "immediate_danger", "hidden five": "self_harm"})
    figures = {name: figures_only(evaluation_figures(Fixed(answers), messages))
               for name, messages in (("blind_set_23", weak), ("A", good))}
    table = markdown(figures, {"blind_set_23": 5, "A": 4}, honest="blind_set_23").splitlines()
    assert table[0] == "| target | **blind 23 (5)** | set A (4) | met? |"
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table[2:]}
    assert rows["recall disclosure >= 0.98"] == "| recall disclosure >= 0.98 | **0.500 (1 of 2)** | 1.000 | 1 of 2 sets |"
    assert rows["danger false alarms <= 2%"] == (
        "| danger false alarms <= 2% | **25.0% (1 of 4)** | 0.0% (0 of 3) | 1 of 2 sets |")
    assert rows["recall danger >= 0.98"].endswith("| **1.000** | 1.000 | 2 of 2 sets |")
    assert "hidden" not in "\n".join(table) and "secret" not in "\n".join(table)
    assert order(["A", "blind_set", "blind_set_10", "blind_set_9"]) == ["blind_set_10", "blind_set_9", "blind_set", "A"]
