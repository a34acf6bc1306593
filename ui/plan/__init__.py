"""The planner screen: workshops, agenda, participants."""
