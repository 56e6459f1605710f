"""Custom Rasa components of the Chinese NLU pipeline (see config.yml and
reports/nlu_pipelines.md). Nothing here imports actions/, backend_core/ or
knowledge_base/: this package runs inside the Rasa server (Python 3.10)."""
