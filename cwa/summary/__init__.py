"""``cwa summary``: many units' archives at once, as the 文明办 sees them.

The flow, one module per step::

    roots ──discover──▶ [Source] (archives: folders with cwa.yaml; reports: check JSON)
    Source ──unit──────▶ the check's JSON (``cwa.check`` + ``report.model.to_dict``)
                         or the JSON a unit handed in; ``fingerprint`` keys the cache
    JSON ──row─────────▶ one small row per unit (``row``), cached (``cache``)
    rows ──model───────▶ groups by rubric, ranked, sorted, filtered
    model ──render─────▶ terminal · JSON · Markdown · HTML · .xlsx

``run`` fans the units out to worker processes; only rows come back, so memory is
bounded by the largest unit, not by the number of units.
"""
