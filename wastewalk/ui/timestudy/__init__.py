"""Element time studies: set up, timing screen, readings grid, summary."""
