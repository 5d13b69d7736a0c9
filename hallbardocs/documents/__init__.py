"""One module per document kind: what is special to that document, as a pure context builder."""
