"""The Walks section: start a walk, capture observations, finish with a summary."""
