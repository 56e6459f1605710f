"""Reliability under bad input (issue 13): a corpus of malformed, hostile and oversized
requests to every public surface of the hub and the core, and schemathesis against both
APIs' OpenAPI documents."""
