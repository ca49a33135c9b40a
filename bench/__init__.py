"""Benchmarks at trust scale, with their own data generator (see bench/README.md)."""
