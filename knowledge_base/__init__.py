"""Policy documents of the utility, searchable with citations (see docs/architecture.md, decision 4)."""
