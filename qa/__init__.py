"""Answer questions about the indexed documents with exact, cited clauses."""
