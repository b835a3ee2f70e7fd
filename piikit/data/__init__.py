"""Data layer: the Row/Span schema, datasets, validation, splits."""
