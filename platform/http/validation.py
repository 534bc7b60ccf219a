"""German messages for pydantic validation errors, shared by the API and the HTML forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from fachaustausch.core.errors import FieldError, InvalidInput

Model = TypeVar("Model", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "Bitte füllen Sie dieses Feld aus.",
    "string_type": "Bitte geben Sie einen Text ein.",
    "int_type": "Bitte geben Sie eine ganze Zahl ein.",
    "int_parsing": "Bitte geben Sie eine ganze Zahl ein.",
    "int_from_float": "Bitte geben Sie eine ganze Zahl ein.",
    "bool_type": "Bitte geben Sie ja oder nein an (true/false).",
    "bool_parsing": "Bitte geben Sie ja oder nein an (true/false).",
    "list_type": "Bitte geben Sie eine Liste an.",
    "dict_type": "Bitte geben Sie ein Objekt an.",
    "model_type": "Bitte senden Sie ein JSON-Objekt.",
    "model_attributes_type": "Bitte senden Sie ein JSON-Objekt.",
    "json_invalid": "Die Anfrage enthält kein gültiges JSON.",
    "extra_forbidden": "Dieses Feld ist unbekannt.",
    "value_error": "Der Wert ist ungültig.",
    "enum": "Bitte wählen Sie einen der erlaubten Werte.",
    "literal_error": "Bitte wählen Sie einen der erlaubten Werte.",
    "string_pattern_mismatch": "Der Wert hat nicht das erwartete Format.",
    "datetime_parsing": "Bitte geben Sie Datum und Uhrzeit im ISO-Format an.",
    "datetime_type": "Bitte geben Sie Datum und Uhrzeit im ISO-Format an.",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in {"too_short", "too_long"} and isinstance(error.get("input"), str):
        # A length limit after an AfterValidator is reported like a list's; it is a text.
        kind = "string_" + kind
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "Bitte füllen Sie dieses Feld aus." if n <= 1 else f"Bitte mindestens {n} Zeichen."
    if kind == "string_too_long":
        return f"Bitte höchstens {ctx.get('max_length')} Zeichen."
    if kind == "too_short":
        return f"Bitte mindestens {ctx.get('min_length')} Einträge."
    if kind == "too_long":
        return f"Bitte höchstens {ctx.get('max_length')} Einträge."
    if kind in {"greater_than_equal", "greater_than"}:
        return f"Der Wert muss mindestens {ctx.get('ge', ctx.get('gt'))} sein."
    if kind in {"less_than_equal", "less_than"}:
        return f"Der Wert darf höchstens {ctx.get('le', ctx.get('lt'))} sein."
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        return f"Bitte wählen Sie einen der erlaubten Werte: {ctx['expected']}."
    if kind == "value_error":
        # Our own validators raise ValueError with a German sentence.
        text = str(ctx.get("error") or error.get("msg", ""))
        return text.removeprefix("Value error, ") or _MESSAGES["value_error"]
    return _MESSAGES.get(kind, "Der Wert ist ungültig.")


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in {"body", "data"}:
            location = location[1:]
        result.append(FieldError(".".join(location) or "body", _message(error)))
    return result


def invalid_input(errors: list[FieldError]) -> InvalidInput:
    if len(errors) == 1:
        detail = f"Bitte prüfen Sie das Feld „{errors[0].field}“: {errors[0].message}"
    else:
        detail = "Bitte prüfen Sie die markierten Felder."
    return InvalidInput(detail, errors)


def parse(model: type[Model], data: Any) -> Model:
    """Validates `data` into `model` or raises InvalidInput with German field messages."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(field_errors(exc.errors())) from None
