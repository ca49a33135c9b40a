"""Use cases: plain arguments in, frozen dataclasses out. No ORM object leaves this package."""
