"""How the API reads a JSON body: only when it is declared as JSON, never deeper than the
decoder can go, and validated as strictly as each model declares.

Litestar decodes any body as JSON whatever its Content-Type. A cross-site HTML form can send
`text/plain` without a CORS preflight, so a JSON endpoint that took it could be driven from
another site (login CSRF): such bodies are refused with 415 before they are decoded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar._signature.types import ExtendedMsgSpecValidationError
from litestar.plugins.pydantic import PydanticInitPlugin
from litestar.plugins.pydantic.plugins.init import is_pydantic_v2_model_class
from litestar.serialization import decode_json
from litestar.types import Empty
from pydantic import BaseModel, ValidationError

from fachaustausch.core.errors import DomainError


class UnsupportedMediaType(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Bitte senden Sie die Daten als JSON (Content-Type: application/json).",
            415,
            "Format nicht unterstützt",
        )


class NestedTooDeeply(DomainError):
    def __init__(self) -> None:
        super().__init__("Die JSON-Daten sind zu tief verschachtelt.", 400, "Ungültige Anfrage")


def is_json(media_type: str) -> bool:
    """`application/json` and its structured-syntax relatives (`application/problem+json`)."""
    kind, _, subtype = media_type.strip().lower().partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


class AppRequest(Request[Any, Any, Any]):
    """The app's request class (see app.py): its JSON body as described above."""

    async def json(self) -> Any:
        if self._json is not Empty:
            return self._json
        if (decoded := self._connection_state.json) is Empty:
            media_type, _ = self.content_type
            if not is_json(media_type):
                raise UnsupportedMediaType()
            body = await self.body()
            try:
                decoded = decode_json(
                    body or b"null", type_decoders=self.route_handler.resolve_type_decoders()
                )
            except RecursionError:
                # msgspec stops at Python's recursion limit; the body is the client's fault.
                raise NestedTooDeeply() from None
            self._connection_state.json = decoded
        self._json = decoded
        return decoded


def _validate(model: type[BaseModel], value: Any) -> BaseModel:
    """pydantic's own strictness: Litestar passes `strict=False`, which overrides a field's
    `Field(strict=True)` (a vote of `true` or `"1"` became 1)."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        errors = [dict(error) for error in exc.errors()]
        raise ExtendedMsgSpecValidationError(errors=errors) from exc


class ModelValidationPlugin(PydanticInitPlugin):
    """Litestar's pydantic support with the models validated as they declare."""

    @classmethod
    def decoders(
        cls, validate_strict: bool = False
    ) -> list[tuple[Callable[[Any], bool], Callable[[Any, Any], Any]]]:
        return [(is_pydantic_v2_model_class, _validate), *super().decoders(validate_strict)]
