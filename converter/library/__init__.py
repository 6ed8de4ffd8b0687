"""A whole library at once: finding the inputs, converting them in parallel (local processes or a
Dask cluster), skipping what is up to date, and reporting progress.
"""
