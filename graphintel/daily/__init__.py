"""Daily operation: networks that keep their identity from one analysis run to the next,
what changed since, saved cases that follow their network, and alerts.

Everything here works on records (``Network``, ``CaseRecord``) and the store's role
methods, so both backends get the same rules.
"""
