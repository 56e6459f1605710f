"""Database engine, sessions and the column types that keep money exact on every backend.

SQLite has no decimal type; SQLAlchemy's ``Numeric`` would hand back floats with a
warning. :class:`Amount` stores a fixed scale and always returns ``Decimal``
quantized to that scale, on SQLite and PostgreSQL alike, so no figure the core
reads back has drifted by a binary rounding error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Numeric, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


class Amount(TypeDecorator[Decimal]):
    """Fixed-scale decimal column returning ``Decimal`` (money: scale 2, kWh: 3, prices: 4)."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2, trim: bool = False) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=False)
        self.scale = scale
        self.trim = trim
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        quantized = number.quantize(self._quantum)
        return float(quantized) if dialect.name == "sqlite" else quantized

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float) and abs(value) < 1e15:
            # repr() of the rounded float is its shortest exact decimal form: no string formatting needed
            if self.trim and value.is_integer():
                return Decimal(int(value))
            number = Decimal(repr(round(value, self.scale)))
            return number if self.trim else number.quantize(self._quantum)
        number = Decimal(value).quantize(self._quantum)
        return trim_zeros(number) if self.trim else number


def trim_zeros(number: Decimal) -> Decimal:
    """230.000 -> 230, 12.500 -> 12.5: quantities read as people write them (money keeps 2 places)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def Money() -> Amount:  # capitalised: reads as a type in column declarations
    return Amount(14, 2)


def Kwh() -> Amount:
    return Amount(14, 3, trim=True)


def Price() -> Amount:
    return Amount(10, 4)


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine with SQLite made safe for a web server: foreign keys on, WAL, a busy timeout."""
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache instead of 2 MiB
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
