"""Benchmarks (``make bench`` or ``.venv/bin/python -m benchmarks --help``)."""
