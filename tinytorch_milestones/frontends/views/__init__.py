"""Progress views over the core's `status()`: widgets, HTML and plain text."""
