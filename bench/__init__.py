"""Benchmark helpers (synthetic content corpus: bench/corpus.py)."""
