"""API routes, one module per area of the gateway contract."""
