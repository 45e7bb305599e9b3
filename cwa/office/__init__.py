"""Word and Excel tooling from the scheme: footer stamps, photo albums, the catalogue."""
