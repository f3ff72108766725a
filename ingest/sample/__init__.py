"""Realistic Vietnamese sample documents for tests, demos and benchmarks.

Content (``text``), born-digital PDF/A (``pdf_documents``), digitised paper (``scanned``), a test
PKI (``pki``) and NĐ30-style signatures (``signing``), all deterministic from a seed.
"""
