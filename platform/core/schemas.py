"""Pieces of input and read models that several domains share: the base of every input
model, the text and tag fields a question and a consultation both have, and the read models
of an author and a tag."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MAX = 20_000
MAX_INSTRUMENTS = 5

# U+FFFD stands where bytes that were no UTF-8 were decoded (an HTML form's body is decoded
# leniently), or was pasted from a text that had already lost characters that way.
REPLACEMENT_CHARACTER = "\ufffd"
UNREADABLE = (
    "Der Text enthält das Zeichen „\ufffd“: Hier ist beim Senden oder Kopieren ein Zeichen "
    "verloren gegangen (keine gültige UTF-8-Kodierung). Bitte korrigieren Sie die Stelle."
)


class Strict(BaseModel):
    """The base of every input model: no unknown fields, no surrounding whitespace, and no
    text that lost characters on the way, as a JSON body that is no UTF-8 is refused whole."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _readable(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and REPLACEMENT_CHARACTER in text for text in texts):
            raise ValueError(UNREADABLE)
        return value


def no_control_chars(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Der Text enthält ein unzulässiges Steuerzeichen (NUL).")
    return value


def one_line(value: object) -> object:
    """Collapses runs of whitespace before the length is checked (`"Wie      ?"` is short);
    anything but text passes on to be refused as such."""
    return " ".join(no_control_chars(value).split()) if isinstance(value, str) else value


def _unique_slugs(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("Bitte wählen Sie jedes Instrument nur einmal.")
    return values


Title = Annotated[str, Field(min_length=TITLE_MIN, max_length=TITLE_MAX), BeforeValidator(one_line)]
Body = Annotated[str, AfterValidator(no_control_chars), Field(min_length=1, max_length=BODY_MAX)]
Slug = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[a-z0-9-]+$")]
Instruments = Annotated[
    list[Slug], Field(max_length=MAX_INSTRUMENTS), AfterValidator(_unique_slugs)
]


# --- read models ---------------------------------------------------------------------------


class ReadModel(BaseModel):
    """Read models are frozen: the read cache hands the same instances to many requests."""

    model_config = ConfigDict(frozen=True)


class AuthorOut(ReadModel):
    id: int
    display_name: str
    authority: str
    authority_name: str
    authority_kind: str


class TagOut(ReadModel):
    slug: str
    title: str


class CornerstoneTagOut(TagOut):
    number: int
