"""Turning retrieved clauses into an Answer: extractive (offline default)."""
