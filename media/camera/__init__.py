"""Video sources behind one interface (``base.CameraSource`` yielding ``base.Frame``).

``device`` is a real webcam through OpenCV (the default), ``synthetic`` a moving test pattern
with a machine-readable timestamp, ``file`` a video file posing as a camera, and
``discovery`` lists the cameras a laptop has and opens the one a spec (``"0"``,
``"synthetic"``, a path) names.
"""
