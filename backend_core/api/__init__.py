"""HTTP API of the core (FastAPI): the gateway contract over HTTP, with a service token."""
