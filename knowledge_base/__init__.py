"""Policy documents of the utility, searchable with citations (docs/architecture.md, decision 4).

Nothing here may reach the network: the Hugging Face libraries are put offline before
any submodule imports them, so a wrong model path fails at once instead of trying to
download.
"""

import os

for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_name, _value)
