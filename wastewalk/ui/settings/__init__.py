"""The Organisation & settings section: trust/CSU/area tree, waste categories, the data file."""
