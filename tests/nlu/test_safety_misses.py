"""benchmarks/safety_misses.py counts where safety messages went, by source, and never prints a message."""
from __future__ import annotations

from benchmarks.safety_misses import count, report


class Fixed:
    def __init__(self, answers):
        self.answers = answers

    def parse(self, text):
        return self.answers[text]


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
