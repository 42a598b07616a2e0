"""Request and response models of tasks-api, by area (identity's are in luoshi_tasks.identity.schemas)."""

from luoshi_tasks.schemas.units import *  # noqa: F403
