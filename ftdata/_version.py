"""The package version, in a leaf module so that anything can import it."""
__version__ = "0.1.0"
