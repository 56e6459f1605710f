"""``python -m bot.serve run …``: the Rasa CLI, without the third-party warnings it prints.

Rasa 3.6 and the libraries it pins print deprecation notices at every start that say
nothing about this project (a newcomer reads them as errors). They are dropped here, in
one place for this service, each named with the package it comes from; warnings from the
project's own code stay visible.

Warning filters are not enough: Rasa and Sanic add filters of their own ("once" for every
warning) in front of ours while they start, and Sanic's worker processes start afresh.
So the notices are dropped where they are shown: ``warnings.showwarning`` and, once Rasa
routes warnings to logging, the ``py.warnings`` logger. This module runs at import, which
spawned workers do too.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings

# (where in site-packages the notice comes from, what it says)
KNOWN_THIRD_PARTY = (
    ("pkg_resources/", "declare_namespace and the pkg_resources API are deprecated (setuptools)"),
    ("rasa/shared/utils/validation.py", "pkg_resources is deprecated (rasa)"),
    ("rasa/core/tracker_store.py", "declarative_base is not SQLAlchemy 2.0 (rasa)"),
    ("matplotlib/", "pyparsing's camelCase API is deprecated (matplotlib)"),
    ("packaging/", "pyparsing's camelCase API is deprecated (packaging)"),
    ("typer/", "click 9.0 API (typer)"),
    ("spacy/cli/", "click 9.0 parser API (spacy)"),
    ("sanic_cors/", "distutils version classes (sanic-cors)"),
    ("tensorflow/", "jax.xla_computation (tensorflow)"),
)
_KNOWN = re.compile("site-packages/(?:" + "|".join(re.escape(path) for path, _ in KNOWN_THIRD_PARTY) + ")")


def is_known_third_party(filename: str) -> bool:
    return bool(_KNOWN.search(filename.replace(os.sep, "/")))


class _DropKnown(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not is_known_third_party(str(record.args[0]) if record.args else record.getMessage())


def silence_known_third_party_warnings() -> None:
    shown = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if not is_known_third_party(filename):
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning
    logging.getLogger("py.warnings").addFilter(_DropKnown())
    # SQLAlchemy's 2.0 notice and TensorFlow's C++ start-up notes (no GPU, CPU
    # instructions) have switches of their own.
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


silence_known_third_party_warnings()


def main() -> int:
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
