from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "jaring.core"

    def ready(self) -> None:
        # Every area's permission table (an app's permissions.py, or one of its sub-packages'),
        # so that `permissions.allowed` knows every area before the area's own code is first
        # imported: a menu asks about all of them.
        for config in apps.get_app_configs():
            if not config.name.startswith("jaring."):
                continue
            root = Path(config.path)
            for found in sorted(root.glob("permissions.py")) + sorted(
                root.glob("*/permissions.py")
            ):
                parts = found.relative_to(root).with_suffix("").parts
                import_module(".".join((config.name, *parts)))
