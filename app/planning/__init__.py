"""Planning a workshop: ids, plain views, workshops, agenda, participants, rosters, templates."""
