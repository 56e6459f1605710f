"""Metering and billing core (营销系统 stand-in): one billing engine, its data and its API."""
