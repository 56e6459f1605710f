"""Custom actions of the 95598 bot, served by ``python -m actions.serve --actions actions``
(rasa-sdk in one process, actions/serve.py).

Each module holds one job; rasa_sdk finds every ``Action`` subclass in this package.
Actions reach the billing core only through :mod:`actions.kernel.gateway`.
"""

import warnings

# The one third-party warning this service prints, on every request: rasa-sdk 3.21 finds
# Rasa 3.6 "might not be compatible". Rasa 3.6 is the last open-source release and speaks
# the same action-server protocol (tests/actions and the conversation tests run them
# together), so the notice says nothing to an operator.
warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be compatible", module="rasa_sdk")
