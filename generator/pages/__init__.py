"""pages layer (see docs/architecture.md)."""
