"""Custom Rasa NLU graph components (rule-based, on a blank spaCy English pipeline)."""
