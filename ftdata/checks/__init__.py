"""Checks, one per module, grouped by family. The registry lists them all."""
