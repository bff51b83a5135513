"""The terminal: what the workbench writes to it, compacted, and only in the vocabulary Textual
itself writes."""
