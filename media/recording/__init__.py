"""Records a camera (and optionally a microphone) to a crash-safe H.264 + AAC MP4.

Architecture (why): capture must never wait for the encoder, or a webcam's driver starts
dropping frames unpredictably. So a *capture thread* (``capture``) reads camera and audio,
stamps nothing itself (sources stamp on the shared media clock) and hands frames to a
bounded queue; an *encoder thread* (``encoding``) drains it into ``ClipEncoder``. When the
queue is full the capture thread drops the frame and counts it, so drops are visible
instead of silent. ``recorder.Recorder`` opens everything, starts both threads and builds
the ``result.RecordingResult``; ``shared`` is what the two threads share.

Crash safety (why): the file is a fragmented MP4 written straight to ``out_path`` through
``output.DurableFile``, with a keyframe and fragment about every second and an fsync about
every second, so a crash, SIGKILL or power cut leaves a playable file missing at most the
last second or two (``output.salvage`` tidies it). Faults (camera lost, disk full, encoder
error) stop the recording, keep what was recorded, and are reported in
``RecordingResult.error``; the threads never raise.
"""
