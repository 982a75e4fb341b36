"""Text out of the formats people keep their terms in: PDF, web pages and Word files.

Each extractor returns the text the product indexes and cites (every quote is a slice of it) and,
for PDFs, where each page starts in it. Failures are LoadErrors with one line a person can act on.
"""
