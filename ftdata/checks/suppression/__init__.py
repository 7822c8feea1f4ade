"""Rules about the suppressions themselves (a baseline file, ignores by record id): their
findings are made by ftdata.baseline and ftdata.suppress_ids, not by scanning records."""
