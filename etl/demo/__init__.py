"""Demo data generator: `generate(raw_dir, scale=1.0, seed=2020)` writes the raw files of both
platforms (suppliers, listings, access logs) following data/README.md."""

from .generator import generate

__all__ = ["generate"]
