"""Cost estimates and staff rates: the estimate form and dialog, the staff-rates settings tab."""
