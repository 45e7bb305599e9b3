"""Fixity: digest manifests of an archive, their verification, and hand-over packages.

``select`` decides which files a manifest covers, ``digest`` hashes them on every core,
``manifest`` reads and writes the BagIt manifest format, ``verify`` compares a folder, a
bag or a zip with its manifest, and ``package`` writes the zip or bag handed over.
"""
