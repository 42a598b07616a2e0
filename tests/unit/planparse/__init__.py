"""Tests of reading plans: text, items, units, deadlines and indicators."""
