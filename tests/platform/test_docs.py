"""README stays true to the code: every setting is documented."""

from luoshi.settings import BaseServiceSettings
from luoshi_notify.settings import NotifySettings
from luoshi_scoring.settings import ScoringSettings
from luoshi_tasks.settings import TasksSettings
from tests.support import REPO


def test_every_setting_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    missing = []
    for cls in (BaseServiceSettings, TasksSettings, ScoringSettings, NotifySettings):
        for name, field in cls.model_fields.items():
            names = field.validation_alias.choices if field.validation_alias else [name.upper()]
            for env in names:
                if f"`{env}`" not in readme:
                    missing.append(f"{cls.__name__}.{name} ({env})")
    assert not missing, f"README lacks settings: {missing}"


def test_readme_starts_with_the_two_commands():
    head = (REPO / "README.md").read_text()[:1500]
    assert "make run" in head and "make test" in head
