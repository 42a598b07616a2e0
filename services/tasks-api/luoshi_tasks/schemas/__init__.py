"""Request and response models of tasks-api, by area."""

from luoshi_tasks.schemas.identity import *  # noqa: F403
