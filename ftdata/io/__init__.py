"""Streaming readers yielding raw lines or values with provenance; no parsing of records."""
from ftdata.io.json_values import iter_json_located, iter_json_values
from ftdata.io.readers import (
    BOM, READ_ERRORS, ReadProblem, byte_ranges, container_of, gzip_size, is_gzip, iter_blocks, iter_range, open_binary,
)

__all__ = ["BOM", "READ_ERRORS", "ReadProblem", "byte_ranges", "container_of", "gzip_size", "is_gzip", "iter_blocks",
           "iter_json_located", "iter_json_values", "iter_range", "open_binary"]
