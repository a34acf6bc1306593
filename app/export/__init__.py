"""The L&D candidate export: the request, the document, and its CSV, XLSX and PDF forms."""
