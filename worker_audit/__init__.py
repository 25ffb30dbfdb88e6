"""worker-audit: finds slow work done inside HTTP requests instead of a worker."""

__version__ = "0.1.0"
