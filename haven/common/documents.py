"""PDF documents from HTML (WeasyPrint; STACK.md). Used by the committee report (issue 9) and, later,
letters and bundles (issue 8).

Only ``data:`` URLs are fetched: a document is built from what Haven put in it, never from the
network or the server's files, so text typed into a report cannot make the worker fetch anything.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def pdf_render(html: str) -> bytes:
    """The PDF of an HTML document whose styles and images are inline or ``data:`` URLs."""
    fetcher = URLFetcher(allowed_protocols=["data"], fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf() or b""
