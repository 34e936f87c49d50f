"""Benchmarks: `make bench` (run.py, load.py) and the volume `seed_demo` adds for them (volume.py)."""
