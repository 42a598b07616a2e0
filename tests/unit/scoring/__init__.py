"""Tests of the assessment's scoring rules, engine and grades (luoshi_scoring.rules)."""
