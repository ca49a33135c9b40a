"""The Savings section: roll-ups from ward to CSU to trust, and the actions behind them."""
