"""Custom actions for the safeguarding signposting assistant.

The action server imports this package (``rasa run actions --actions actions``); each module
holds one concern: ``audience`` (asking who they are, once), ``fallback`` (not understood),
``handoff`` (a person takes over).
"""
