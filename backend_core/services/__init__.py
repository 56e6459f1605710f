"""Business services of the core: each takes a SQLAlchemy session and a :class:`CoreContext`.

The gateway (embedded or over HTTP) is the only caller; services return the
gateway's DTOs with personal data masked, and raise ``CoreError`` subclasses.
"""
