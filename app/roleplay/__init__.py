"""Role plays (PRODUCT.md, "Role plays"): scenario cards, rotations, rounds with a phase
clock, markers on the recording, observer ratings, private briefs, highlight reels and each
participant's role-play record. Plain Python, no Qt: the screens in ``ui/`` call these.

Modules: ``views`` (frozen snapshots), ``cards`` (built-in cards, the default rubric),
``scenarios`` (a card of an agenda item), ``rotation`` (pure: who plays what in which round),
``rounds`` (storing rounds, the phase clock, recording a round), ``markers``, ``ratings``,
``briefs`` (the PDF), ``highlights`` (the reel), ``record`` (for Insights).
"""
