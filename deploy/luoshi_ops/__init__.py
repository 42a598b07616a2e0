"""落实 Luoshi's operator and developer tooling: the `luoshi` command, `luoshi run`, the embedded development
database, migrations, backup and restore. The only package that imports the services (see pyproject.toml's
import-linter contracts)."""
