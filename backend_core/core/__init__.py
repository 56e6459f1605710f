"""Process-wide plumbing of the core: settings and the business clock."""
