"""The `fachaustausch` command: serve, migrate, seed and account administration."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

from fachaustausch import piccolo_app  # noqa: F401 - routes every table to the current database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.policy import Role
from fachaustausch.core.errors import DomainError
from fachaustausch.database import Database, migrations, use
from fachaustausch.search.backend import SearchUnavailable
from fachaustausch.settings import Settings

T = TypeVar("T")
# How long a stop waits for open requests (live streams never end by themselves).
GRACEFUL_SHUTDOWN_SECONDS = 3


def _run(settings: Settings, coro: Coroutine[Any, Any, T]) -> T:
    """Runs `coro` on the database of `settings` (a connection per query, as one-off work
    needs no pool), with the password hasher the settings ask for."""
    hasher = passwords.Hasher.from_settings(settings)
    with use(Database.from_settings(settings)), passwords.use(hasher):
        return asyncio.run(coro)


def _settings() -> Settings:
    return Settings()


def listening_url(host: str, port: int) -> str:
    """The base URL of a server bound to `host`: a wildcard address is reached on loopback."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding it
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.group(help="Fachaustausch Willkommensbehörden – Verwaltung und Betrieb.")
def main() -> None:
    pass


@main.command(help="Führt ausstehende Datenbank-Migrationen aus.")
def migrate() -> None:
    settings = _settings()
    ran = _run(settings, migrations.migrate())
    click.echo(f"{len(ran)} Migration(en) ausgeführt." if ran else "Datenbank ist aktuell.")


@main.command(help="Legt Eckpunkte, Instrumente und Behörden an (wiederholbar).")
@click.option("--demo", is_flag=True, help="Zusätzlich Demo-Konten für jede Rolle anlegen.")
def seed(demo: bool) -> None:
    from fachaustausch.assessment.seed import seed_criteria
    from fachaustausch.demo import (
        seed_demo,
        seed_demo_consultations,
        seed_demo_events,
        seed_demo_questions,
    )
    from fachaustausch.toolbox.seed import seed_reference_data

    settings = _settings()

    async def run() -> None:
        await migrations.migrate()
        counts = await seed_reference_data()
        click.echo(
            f"Stammdaten: {counts['cornerstones']} Eckpunkte, {counts['instruments']} "
            f"Instrumente, {counts['authorities']} Behörden."
        )
        criteria = await seed_criteria()
        click.echo(f"Standortbestimmung: {criteria} Kriterien neu angelegt.")
        if demo:
            created = await seed_demo()
            if created:
                click.echo("Demo-Konten (Passwörter werden nur jetzt angezeigt):")
                for user in created:
                    click.echo(
                        f"  {user.role.label:<36} {user.email:<28} {user.password}"
                        + ("  (wartet auf Freischaltung)" if user.email.startswith("neu@") else "")
                    )
            else:
                click.echo("Demo-Konten bestehen bereits.")
            added = await seed_demo_questions()
            click.echo(f"Demo-Fragen: {added} neu angelegt.")
            consulted = await seed_demo_consultations()
            click.echo(f"Demo-Fallberatungen: {consulted} neu angelegt.")
            scheduled = await seed_demo_events()
            click.echo(f"Demo-Veranstaltungen: {scheduled} neu angelegt.")

    _run(settings, run())


@main.command(help="Startet den Webserver (führt vorher ausstehende Migrationen aus).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Bei Code-Änderungen neu starten (Entwicklung).")
@click.option("--workers", default=1, show_default=True, type=int)
@click.option(
    "--loop",
    type=click.Choice(["asyncio", "uvloop", "auto"]),
    default="asyncio",
    show_default=True,
    help="Ereignisschleife. Unter Last gemessen hält asyncio die Antwortzeiten der "
    "langsamsten Anfragen kürzer, bei gleichem Durchsatz (benchmarks/README.md); "
    "auto nimmt uvloop, wenn installiert.",
)
def serve(host: str, port: int, reload: bool, workers: int, loop: str) -> None:
    import uvicorn

    from fachaustausch.process import memory

    settings = _settings()
    # Process-wide, and before any thread starts (migrating starts some).
    memory.limit_server_arenas(settings.malloc_arena_max)
    if "base_url" not in settings.model_fields_set:
        # Links in e-mails and pages name the address the server really listens on; the app
        # (and every worker uvicorn starts) reads its settings from this environment.
        os.environ["FACHAUSTAUSCH_BASE_URL"] = listening_url(host, port)
    ran = _run(settings, migrations.migrate())
    if ran:
        click.echo(f"{len(ran)} Migration(en) ausgeführt.")
    uvicorn.run(
        "fachaustausch.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        loop=loop,
        proxy_headers=True,
        log_level="info",
        # Open live streams (the unread count) never end by themselves: a stop waits for
        # them only briefly, then closes them.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


@main.command(help="Baut den Suchindex vollständig neu auf (ohne Unterbrechung der Suche).")
def reindex() -> None:
    from fachaustausch.search.factory import create_backend
    from fachaustausch.search.leases import RebuildRunning
    from fachaustausch.search.worker import reindex as rebuild

    settings = _settings()

    async def run() -> int:
        await migrations.migrate()
        backend = create_backend(settings)
        try:
            await backend.configure()
            return await rebuild(backend)
        finally:
            await backend.close()

    started = time.perf_counter()
    try:
        written = _run(settings, run())
    except SearchUnavailable as exc:
        raise click.ClickException(f"Suchmaschine nicht erreichbar: {exc}") from None
    except RebuildRunning:
        raise click.ClickException(
            "Der Suchindex wird gerade schon neu aufgebaut (von einem anderen Prozess)."
        ) from None
    seconds = time.perf_counter() - started
    click.echo(
        f"Suchindex neu aufgebaut: {written} Dokumente in {seconds:.1f} s "
        f"({written / max(seconds, 0.001):.0f} Dokumente/s)."
    )


@main.group(help="Suchindex: Abgleich und Zustand.")
def search() -> None:
    pass


@search.command("work", help="Überträgt ausstehende Änderungen in den Suchindex.")
@click.option("--once", is_flag=True, help="Nur den aktuellen Rückstand abarbeiten, dann enden.")
@click.option("--interval", default=1.0, show_default=True, help="Wartezeit in Sekunden.")
def search_work(once: bool, interval: float) -> None:
    from fachaustausch.search.factory import create_backend
    from fachaustausch.search.worker import SearchWorker

    settings = _settings()

    async def run() -> None:
        await migrations.migrate()
        backend = create_backend(settings)
        try:
            await backend.configure()
        except SearchUnavailable as exc:  # the worker's rounds try again
            click.echo(f"Suchmaschine nicht erreichbar, neuer Versuch folgt: {exc}", err=True)
        worker = SearchWorker(backend, interval)
        try:
            while True:
                reported = worker.status.last_error_at
                applied = await worker.step()
                if worker.status.last_error_at != reported:
                    click.echo(f"Abgleich fehlgeschlagen: {worker.status.last_error}", err=True)
                if applied:
                    click.echo(f"{applied} Änderung(en) übertragen.")
                elif once:
                    return
                else:
                    await asyncio.sleep(interval)
        finally:
            await backend.close()

    _run(settings, run())


@main.group(help="Benachrichtigungen: Ereignisse verteilen, Zusammenfassungen und E-Mails senden.")
def notifications() -> None:
    pass


@notifications.command(
    "send",
    help="Verteilt neue Ereignisse, erstellt fällige Zusammenfassungen und sendet E-Mails "
    "(als eigener Worker; dann FACHAUSTAUSCH_NOTIFICATIONS_WORKER_ENABLED=false für die App).",
)
@click.option("--once", is_flag=True, help="Nur den aktuellen Rückstand abarbeiten, dann enden.")
@click.option("--interval", default=1.0, show_default=True, help="Wartezeit in Sekunden.")
def notifications_send(once: bool, interval: float) -> None:
    from litestar.channels.backends.redis import RedisChannelsPubSubBackend
    from redis.asyncio import Redis

    from fachaustausch.notifications import live
    from fachaustausch.notifications.worker import NotificationWorker

    settings = _settings()

    async def run() -> None:
        await migrations.migrate()
        # With Redis, the app's open inbox pages hear of new notifications at once.
        backend = (
            RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
            if settings.redis_url
            else None
        )
        worker = NotificationWorker(
            settings, publish=live.publisher(backend.publish) if backend else None
        )
        if once:
            done = await worker.drain()
            click.echo(
                f"{done.events} Ereignis(se) verteilt, {done.digests} Zusammenfassung(en) "
                f"erstellt, {done.mails} E-Mail(s) gesendet."
            )
            return
        await worker.run(interval)

    _run(settings, run())


@search.command("status", help="Zeigt Suchmaschine, Dokumentzahlen und Rückstand.")
def search_status() -> None:
    from fachaustausch.search.documents import database_counts
    from fachaustausch.search.factory import create_backend
    from fachaustausch.search.leases import rebuilding
    from fachaustausch.search.worker import backlog, failed_rows

    settings = _settings()

    async def run() -> None:
        backend = create_backend(settings)
        try:
            try:  # only opens what is there: a report changes nothing
                await backend.configure(create=False)
            except SearchUnavailable as exc:
                healthy, problem = False, str(exc)
            else:
                healthy, problem = await backend.health(), ""
            click.echo(
                f"Suchmaschine: {backend.name} ({'erreichbar' if healthy else 'NICHT erreichbar'})"
            )
            if problem:
                click.echo(f"  Grund: {problem}")
            if backend.rebuild_needed:
                click.echo(
                    "  Der Index ist unbrauchbar und wird neu aufgebaut: vom Abgleich der "
                    "laufenden Plattform, oder mit `fachaustausch reindex`."
                )
            database = await database_counts()
            indexed = await backend.count() if healthy else {}
            for kind, count in database.items():
                shown = indexed.get(kind, 0) if healthy else "–"
                click.echo(f"  {kind:<12} Datenbank {count:>8}   Index {shown:>8}")
            click.echo(f"Rückstand (Outbox): {await backlog()}")
            if await rebuilding():
                click.echo("  Der Suchindex wird gerade neu aufgebaut; danach folgt der Rückstand.")
            failed = await failed_rows()
            if failed:
                click.echo(f"  davon nach Fehlern auf neuen Versuch wartend: {failed}")
        finally:
            await backend.close()

    _run(settings, run())


@main.group(help="Datenschutz: gespeicherte Beiträge auf personenbezogene Daten prüfen.")
def privacy() -> None:
    pass


@privacy.command(
    "scan",
    help="Prüft alle sichtbaren Beiträge mit der heutigen Datenschutzprüfung und meldet jeden "
    "beanstandeten der Moderation (einmal je Beitrag; wiederholbar).",
)
def privacy_scan() -> None:
    from fachaustausch.moderation import privacy_scan as scanning

    settings = _settings()

    async def run() -> tuple[int, int]:
        await migrations.migrate()
        found = flagged = 0
        async for hit in scanning.refused_posts():
            found += 1
            new = await scanning.flag(hit)
            flagged += new
            state = "neu gemeldet" if new else "bereits gemeldet"
            click.echo(
                f"{hit.target_type.label} Nr. {hit.target_id} ({hit.url}): {hit.where()} – {state}"
            )
        return found, flagged

    found, flagged = _run(settings, run())
    if not found:
        click.echo("Keine sichtbaren Beiträge mit personenbezogenen Daten gefunden.")
    else:
        posts = "1 Beitrag" if found == 1 else f"{found} Beiträge"
        click.echo(
            f"{posts} mit personenbezogenen Daten, davon {flagged} neu an die Moderation gemeldet."
        )


@main.group(help="Benutzerkonten verwalten.")
def user() -> None:
    pass


@user.command("create", help="Legt ein sofort aktives Konto an.")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.member.value,
    show_default=True,
)
@click.option("--authority", "authority_slug", required=True, help="Kurzname, z. B. weimar")
@click.option("--password-stdin", is_flag=True, help="Passwort von der Standardeingabe lesen.")
def user_create(
    email: str, display_name: str, role: str, authority_slug: str, password_stdin: bool
) -> None:
    from fachaustausch.accounts import service as accounts

    settings = _settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Passwort", hide_input=True, confirmation_prompt=True)
    try:
        user_id = _run(
            settings,
            accounts.create_user(
                email=email,
                display_name=display_name,
                password=password,
                role=Role(role),
                authority_slug=authority_slug,
            ),
        )
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"Konto {email.lower()} (Nr. {user_id}) angelegt und aktiv.")


if __name__ == "__main__":
    main()
