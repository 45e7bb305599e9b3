"""One module per command; each registers itself on the app and stays thin.

What they share is in ``shared`` (consoles, the error handler, common options, finding
the archive) and ``usage`` (how the command line speaks).
"""
