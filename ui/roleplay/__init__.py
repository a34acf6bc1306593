"""The review of a recorded role-play round: video, markers, rubric summary."""
