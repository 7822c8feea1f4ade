"""Content hygiene: residue of how the data was made (placeholders, refusals, truncation, special
tokens, unseen context, encoding damage, repetition, personal data and secrets)."""
