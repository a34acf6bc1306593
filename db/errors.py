"""The store's one error type: it carries a sentence a trainer can act on."""


class StoreError(Exception):
    """A failure of the store, phrased for the person in front of the laptop.

    ``str(err)`` is one sentence; the CLI prints it to stderr, the UI shows it in a banner.
    Connection strings in it are always masked (see :func:`db.urls.mask_url`).
    """
