"""Human handoff: the queue of conversations waiting for a person, and the staff console.

Modules: ``config`` (settings from the environment), ``db`` (tables, in the same database as
the tracker store), ``risk`` (how urgent a conversation is), ``hours`` (opening hours),
``queue`` (waiting, claimed, ended), ``staff`` (accounts, presence, sign-in throttling),
``payloads`` (the ``handoff`` custom payload contract), ``audit`` (who did what, when),
``rasa_client`` (server-side calls to the Rasa HTTP API). The web app is ``handoff.console``.
"""
