"""Piccolo's configuration module. `fachaustausch.database.engine.bind` replaces DB at
start-up with the engine the settings ask for; this default only serves Piccolo's own
command-line tools."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from fachaustausch.database.engine import create_engine
from fachaustausch.settings import Settings

DB: Engine = create_engine(Settings().resolved_database_url)  # type: ignore[type-arg]

APP_REGISTRY = AppRegistry(apps=["fachaustausch.piccolo_app"])
