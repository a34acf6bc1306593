"""The room: what the projector may show of a live workshop (see :mod:`app.room.view`)."""
