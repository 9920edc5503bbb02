"""The test settings: a development install (JARING_DEV=1), so the public development key and
local host names are accepted with DEBUG off. Set before the settings load, and inherited by the
CLI subprocesses some tests start."""

import os

os.environ.setdefault("JARING_DEV", "1")

from jaring.settings import *  # noqa: F403
