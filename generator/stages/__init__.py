"""stages layer (see docs/architecture.md)."""
