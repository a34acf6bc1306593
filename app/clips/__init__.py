"""Clips: peer-shared lesson clips, from the booth or a phone, and what the room does with them.

``library`` keeps, imports and deletes clips (the files of this laptop and the consent checks),
``recording`` runs a take in the booth and recovers one a crash cut short, ``catalogue`` lists
clips as views (hiding those whose owner withdrew consent), ``reactions`` stores peers' clicks.
"""
