"""``cwa serve``: a web door onto archives that already sit in folders.

Units browse their own archive, inspectors score item by item, the 文明办 sees all. The
archives are only read; accounts, sessions, scores and the access log live in a database
outside them (SQLite in the data folder, or PostgreSQL).

- ``units``: which folders under the root are archives, and their (cached) checks;
- ``paths``: names from a URL to a file under an archive, and back, refusing the rest;
- ``store``: the database (SQLite or PostgreSQL), one small SQL dialect for both;
- ``accounts``: users, roles, password hashes;
- ``sessions``: login, session cookies, CSRF tokens, rate limiting;
- ``scoring``: what an inspector scores, and the self-scoring sheet with scores filled;
- ``preview``: what a file view shows (photo and caption, PDF, a .docx's text and footer);
- ``app``: the Flask application; ``server``: waitress, the production server.
"""
