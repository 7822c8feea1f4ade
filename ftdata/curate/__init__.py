"""Curation: commands that write new files from a dataset, never touching the input."""
