"""Configuration of the knowledge base."""
