"""Turn legal documents into a clause tree, chunks and embeddings stored in Chroma."""
