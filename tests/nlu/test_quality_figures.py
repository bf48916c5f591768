"""The figures benchmarks/nlu_quality.py reports, on a parser with fixed answers (no model needed)."""
from __future__ import annotations

import pytest

from benchmarks.nlu_quality import intent_figures


class Fixed:
    def __init__(self, answers):
        self.answers = answers

    def parse(self, text):
        return {"intent": {"name": self.answers[text]}, "entities": []}


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
