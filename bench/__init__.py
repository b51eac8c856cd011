"""Benchmarks: ``python -m bench`` (or ``make bench``). Figures, not tests: nothing fails on a time."""
