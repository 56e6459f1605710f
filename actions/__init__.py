"""Custom actions of the 95598 bot, served by ``python -m rasa_sdk --actions actions``.

Each module holds one job; rasa_sdk finds every ``Action`` subclass in this package.
Actions reach the billing core only through :mod:`actions.kernel.gateway`.
"""
