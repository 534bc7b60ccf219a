"""Piccolo's configuration module, found by name (PICCOLO_CONF, set in database/engine.py).

`DB` is the current database's engine: what Piccolo's migration manager runs on while
`fachaustausch migrate` (or `serve`) has made its database current. Piccolo's own
command-line tools (`piccolo migrations new fachaustausch --auto`) run on the database the
settings name, made current here; nowhere else does importing this module change anything."""

import sys
from pathlib import Path
from typing import Any

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from fachaustausch.database import Database
from fachaustausch.database.context import current_engine, current_or_none, make_current
from fachaustausch.settings import Settings

APP_REGISTRY = AppRegistry(apps=["fachaustausch.piccolo_app"])


def _piccolo_command_line() -> bool:
    program = Path(sys.argv[0])
    return program.name == "piccolo" or program.parts[-2:] == ("piccolo", "main.py")


if _piccolo_command_line() and current_or_none() is None:
    make_current(Database.from_settings(Settings()))


def __getattr__(name: str) -> Engine[Any]:
    if name != "DB":
        raise AttributeError(name)
    return current_engine()
