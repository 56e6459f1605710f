"""The one billing engine: tariffs as data, bills, quotes, late fees, prepaid and TOU comparison."""
