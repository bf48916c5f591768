"""The staff console: `python -m handoff.console serve` and `python -m handoff.console create-user`."""
