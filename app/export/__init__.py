"""The L&D candidate export: the request, the document, and its CSV, XLSX and PDF forms.

``request`` checks what to export, ``document`` builds the one document (with the privacy
rules: consent, pseudonyms, small teams) that ``csv``, ``xlsx`` and ``pdf`` render alike, and
``service`` runs it: local or shared store, the file written atomically, the audit record.
"""
