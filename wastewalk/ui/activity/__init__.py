"""Activity follows: follow one member of staff, by key press or by prompt."""
