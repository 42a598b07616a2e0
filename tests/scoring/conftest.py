"""scoring-api tests reuse tasks-api's plan fixture: indicators belong to a real plan."""

from tests.tasks.conftest import fixed_clock, plan_setup

__all__ = ["fixed_clock", "plan_setup"]
