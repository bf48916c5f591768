"""Admitting a writer's staged training lines: nothing kept apart for testing gets in, the file Rasa reads
holds exactly the kept lines, and the report gives counts, never a line (blind batches stay unread)."""
from __future__ import annotations

from scripts import admit_training_data as admit

STAGED = """version: "3.1"
nlu:
- intent: self_harm
  examples: |
    - A line kept apart for testing!
    - a fresh line about wanting to disappear
    - a fresh line about wanting to disappear
    - a line already trained on
    - ring me on 0800 1111
    - Shown in the brief
- intent: greet
  examples: |
    - a line kept apart for testing
- intent: deny
  examples: |
    - nah ta, maybe another time
    - jestem smutna, nie wiem co robic
"""


def test_only_fresh_unseen_lines_are_admitted_and_only_counts_are_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(admit, "kept_apart", lambda: {"test_or_evaluation": {"a line kept apart for testing"},
                                                      "already_trained": {"a line already trained on"}})
    (tmp_path / "staged.yml").write_text(STAGED)
    (tmp_path / "header.txt").write_text("Written by a helper who read only the guide.\nSecond line.")
    (tmp_path / "avoid.txt").write_text("shown in the brief\n")
    target = tmp_path / "fresh.yml"
    assert admit.main([str(tmp_path / "staged.yml"), str(target), "--header", str(tmp_path / "header.txt"),
                       "--avoid", str(tmp_path / "avoid.txt")]) == 0

    assert admit.read_nlu_file(target) == [("a fresh line about wanting to disappear", "self_harm"),
                                           ("nah ta, maybe another time", "deny")]
    text = target.read_text()
    assert "greet" not in text, "an intent left empty must not be written (rasa data validate warns)"
    assert text.startswith('version: "3.1"\n# Written by a helper who read only the guide.\n# Second line.\nnlu:\n')
    printed = capsys.readouterr().out
    assert "9 staged, 2 admitted" in printed
    assert "test_or_evaluation 2" in printed and "already_trained 1" in printed and "duplicate 1" in printed
    assert "digits 1" in printed and "shown_to_writer 1" in printed and "other_language 1" in printed
    assert "kept apart" not in printed.lower() and "disappear" not in printed


def test_the_guides_own_examples_count_as_shown_to_every_writer():
    assert admit.normalise("sum1 at skl keeps touchin me") in admit.guide_examples()


def test_pruning_removes_kept_apart_lines_in_place_and_any_intent_left_empty(tmp_path):
    data = tmp_path / "fresh.yml"
    data.write_text('version: "3.1"\n# header\nnlu:\n'
                    "- intent: greet\n  examples: |\n    - Hiya!\n- intent: deny\n  examples: |\n"
                    "    - nah\n    - not today thanks\n- synonym: mam\n  examples: |\n    - mum\n")
    assert admit.prune([data], {"hiya", "nah"}) == {"fresh.yml": 2}
    assert data.read_text() == ('version: "3.1"\n# header\nnlu:\n- intent: deny\n  examples: |\n'
                                "    - not today thanks\n- synonym: mam\n  examples: |\n    - mum\n")
    assert admit.prune([data], {"hiya"}) == {}


def test_lines_in_another_language_are_refused_and_english_slang_is_not():
    """UnknownWordsGate learns every trained word: another language's sentence in training would let that
    language past the gate (a Spanish and a French message did, in the eleventh session)."""
    other = admit.OtherLanguage(known={"dus", "tym", "wer"}, english_pieces={"con", "una", "que", "pas"})
    for line in ("jestem smutna", "quiero hablar con una persona real", "je suis triste", "ich habe angst"):
        assert other(line), line
    # one function word that is also an English word piece may be slang, a name or a typo; known words pass
    for line in ("que?? what do u mean", "sum1 in my famly dus fings 2 me", "wer hidin in the bathroom",
                 "my stepdad hits me and i dont know what to do"):
        assert not other(line), line
