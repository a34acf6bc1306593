"""Ripple's media layer: cameras, microphones, preview, crash-safe recording, import, thumbnails, storage.

Pure Python + PyAV/OpenCV/numpy; QtCore/QtMultimedia only for the microphone. Nothing
here imports ``app``, ``ui`` or ``db``. Every user-facing failure is a ``MediaError``
whose ``str()`` is one sentence.

Import from the module that holds a name (``media.camera.synthetic``, ``media.recording.recorder``…):
this package itself holds nothing, so importing ``media.errors`` at start-up costs nothing
and numpy, OpenCV and PyAV load only when a clip is recorded or played. ``ui/`` uses only
``media.preview``.
"""
