"""Reading HTML forms: validation into the same pydantic models the API uses, with German
messages per field, and the user's input kept for re-rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from litestar import Request
from pydantic import BaseModel

from fachaustausch.core.errors import DomainError, FieldError
from fachaustausch.http.validation import parse

Model = TypeVar("Model", bound=BaseModel)

_NOT_ECHOED = {"password", "current_password", "new_password", "_csrf_token"}


@dataclass
class Form(Generic[Model]):
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""

    def fail(self, exc: DomainError) -> Form[Model]:
        self.errors.update(_by_field(exc.errors))
        if len(exc.errors) == 1:
            # The shared detail names the code's field ("„display_name“"); the page shows
            # the message next to the field's German label instead.
            self.message = exc.errors[0].message
        elif exc.errors:
            self.message = "Bitte prüfen Sie die markierten Felder."
        else:
            self.message = exc.detail
        return self


def _by_field(errors: list[FieldError]) -> dict[str, str]:
    result: dict[str, str] = {}
    for error in errors:
        result.setdefault(error.field.split(".")[0], error.message)
    return result


async def read_form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        items = form.getall(key)
        values[key] = items if len(items) > 1 else items[0]
    values.pop("_csrf_token", None)
    return values


def validate(model: type[Model], values: dict[str, Any]) -> tuple[Model | None, Form[Model]]:
    """The model, or None and a Form carrying the messages and what the user typed."""
    kept = {k: v for k, v in values.items() if k not in _NOT_ECHOED}
    form: Form[Model] = Form(values=kept)
    try:
        return parse(model, values), form
    except DomainError as exc:
        return None, form.fail(exc)


def empty_form() -> Form[Any]:
    return Form(values={})
