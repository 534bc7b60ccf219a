"""What the embedded index holds: its fields, the German analyzer its texts pass through,
and a SearchDocument as a tantivy document."""

from __future__ import annotations

import tantivy

from fachaustausch.search.backend import SearchDocument
from fachaustausch.search.text import stop_words

ANALYZER = "de_text"
TEXT_FIELDS = (("title", 3.0), ("body", 1.0), ("extra", 0.5))


def analyzer() -> tantivy.TextAnalyzer:
    """Lowercase, German stop words, German Snowball stem (which also drops umlauts), and
    ASCII folding for what the stemmer leaves (ß, accents)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.custom_stopword(sorted(stop_words())))
        .filter(tantivy.Filter.stemmer("german"))
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def folder() -> tantivy.TextAnalyzer:
    """Lowercase and fold without stemming: the form a typed-in prefix is compared in."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def schema() -> tantivy.Schema:
    """Stored is only what a hit shows besides its snippet: the texts the snippet is cut
    from are read from the database (`TextSource`), so the index holds no second copy of
    every post (nothing to forget there once a post is gone), and stays small. Filter
    fields need no positions: they are only ever matched whole."""
    builder = tantivy.SchemaBuilder()
    for name in ("id", "type", "cornerstone", "instruments", "status", "currency"):
        builder.add_text_field(
            name, stored=True, fast=True, tokenizer_name="raw", index_option="basic"
        )
    builder.add_text_field("authority_kind", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("visible_to", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    for name in ("body", "extra"):
        builder.add_text_field(name, tokenizer_name=ANALYZER)
    builder.add_integer_field("entity_id", stored=True, indexed=True)
    builder.add_integer_field("score", fast=True)
    builder.add_integer_field("created_at", indexed=True, fast=True)
    builder.add_boolean_field("hidden", indexed=True, fast=True)
    return builder.build()


def to_tantivy(document: SearchDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", document.id)
    doc.add_text("type", document.type)
    doc.add_integer("entity_id", document.entity_id)
    doc.add_text("title", document.title)
    doc.add_text("body", document.body)
    doc.add_text("extra", document.extra)
    doc.add_text("url", document.url)
    for name, value in (
        ("cornerstone", document.cornerstone),
        ("status", document.status),
        ("authority_kind", document.authority_kind),
        ("currency", document.currency),
    ):
        if value is not None:
            doc.add_text(name, value)
    for instrument in document.instruments:
        doc.add_text("instruments", instrument)
    for principal in document.visible_to:
        doc.add_text("visible_to", principal)
    doc.add_integer("score", document.score)
    doc.add_integer("created_at", document.created_at)
    doc.add_boolean("hidden", document.hidden)
    return doc
