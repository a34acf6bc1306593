"""After the workshop: commitments with a buddy, check-ins, the calendar and ripple cards."""
