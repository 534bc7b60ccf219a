"""Turning what someone typed into a tantivy query, and running it.

Queries are built from tokens, never from the query language, so no user input can make
the engine fail: each word becomes "exact stem, or stem within the typo budget, or (last
word) prefix" over title/body/extra; synonym groups add their other entries (multi-word
entries as phrases); all words must match, and if nothing does, any word may. Filters and
visibility are MUST clauses with zero score inside the same query, so totals and facet
counts (terms aggregations on fast raw fields) only ever see visible documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tantivy
from tantivy import Occur, Query

from fachaustausch.search.backend import CURRENT, FACETS, SearchQuery
from fachaustausch.search.embedded_schema import TEXT_FIELDS
from fachaustausch.search.text import synonym_groups

# Scoring a word needs its frequencies, not its positions: term queries that asked for
# positions (tantivy-py's default) read the positions file for nothing.
TERM_RECORD = "freq"
FUZZY_WEIGHT = 0.3  # fuzzy and prefix matches score a constant; below an exact match
SYNONYM_WEIGHT = 0.8
# What a current document scores on top of its text: outdated posts rank below current ones
# of about the same relevance, and still above far weaker matches.
CURRENT_BONUS = 1.0
PREFIX_MIN_CHARS = 3
FACET_BUCKETS = 1000
# A quoted part of the query is searched as a phrase; everything else word by word.
_QUOTED = re.compile(r'"([^"]*)"')


def typo_budget(word: str) -> int:
    """Meilisearch's defaults: one typo from 5 characters on, two from 9."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def within_distance(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` edits apart (adjacent swaps count one)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            value = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return False
        before, previous = previous, current
    return previous[-1] <= limit


@dataclass
class Matcher:
    """Decides which analysed terms of a document's text the query matched (for snippets)."""

    exact: set[str] = field(default_factory=set)
    fuzzy: list[tuple[str, int]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    _seen: dict[str, bool] = field(default_factory=dict)

    def __call__(self, term: str) -> bool:
        known = self._seen.get(term)
        if known is None:
            known = (
                term in self.exact
                or any(term.startswith(p) for p in self.prefixes)
                or any(within_distance(term, t, d) for t, d in self.fuzzy)
            )
            self._seen[term] = known
        return known


@dataclass
class Plan:
    """The text part of a query: one clause per word (or phrase, or synonym span)."""

    clauses: list[Query]
    matcher: Matcher


@dataclass
class Found:
    """A page of results before its snippets: the stored fields of its documents."""

    total: int
    facets: dict[str, dict[str, int]]
    documents: list[tantivy.Document]
    matcher: Matcher


@dataclass(frozen=True)
class Token:
    term: str
    position: int
    start: int
    end: int


class QueryPlanner:
    """Builds and runs queries on the index's schema with its analyzers; holds the
    analysed synonym groups."""

    def __init__(
        self,
        schema: tantivy.Schema,
        analyzer: tantivy.TextAnalyzer,
        folder: tantivy.TextAnalyzer,
    ) -> None:
        self._schema = schema
        self._analyzer = analyzer
        self._folder = folder
        self._synonyms = self._analyse_synonyms()

    def _analyse_synonyms(self) -> dict[tuple[str, ...], list[list[Token]]]:
        """Analysed entry -> the analysed other entries of its groups."""
        result: dict[tuple[str, ...], list[list[Token]]] = {}
        for group in synonym_groups():
            entries = [self.tokens(entry) for entry in group]
            for entry in entries:
                key = tuple(t.term for t in entry)
                if not key:
                    continue
                others = [o for o in entries if o and [t.term for t in o] != list(key)]
                result.setdefault(key, []).extend(others)
        return result

    def tokens(self, text: str) -> list[Token]:
        tokens = self._analyzer.pre_tokenize(text).tokens
        return [Token(t.text, t.position, t.char_offset_from, t.char_offset_to) for t in tokens]

    def _term_clause(self, term: str, weight: float) -> Query:
        return Query.boolean_query(
            [
                (
                    Occur.Should,
                    Query.boost_query(
                        Query.term_query(self._schema, f, term, index_option=TERM_RECORD),
                        b * weight,
                    ),
                )
                for f, b in TEXT_FIELDS
            ]
        )

    def _phrase_clause(self, tokens: list[Token], weight: float) -> Query:
        if len(tokens) == 1:
            return self._term_clause(tokens[0].term, weight)
        first = tokens[0].position
        words: list[str | tuple[int, str]] = [(t.position - first, t.term) for t in tokens]
        return Query.boolean_query(
            [
                (
                    Occur.Should,
                    Query.boost_query(Query.phrase_query(self._schema, f, words), b * weight),
                )
                for f, b in TEXT_FIELDS
            ]
        )

    def _word_clause(self, token: Token, word: str, prefix: str | None, matcher: Matcher) -> Query:
        # Judged on the stem too: "Fehler" (stem "fehl") must not find "fühlen" ("fuhl").
        budget = min(typo_budget(word), typo_budget(token.term))
        matcher.exact.add(token.term)
        if budget:
            matcher.fuzzy.append((token.term, budget))
        if prefix:
            matcher.prefixes.append(prefix)
        per_field: list[tuple[Occur, Query]] = []
        for name, boost in TEXT_FIELDS:
            options = [
                Query.boost_query(
                    Query.term_query(self._schema, name, token.term, index_option=TERM_RECORD),
                    boost,
                )
            ]
            if budget:
                fuzzy = Query.fuzzy_term_query(self._schema, name, token.term, distance=budget)
                options.append(Query.boost_query(fuzzy, boost * FUZZY_WEIGHT))
            if prefix:
                starts = Query.fuzzy_term_query(self._schema, name, prefix, distance=0, prefix=True)
                options.append(Query.boost_query(starts, boost * FUZZY_WEIGHT))
            per_field.append((Occur.Should, Query.disjunction_max_query(options, 0.1)))
        return Query.boolean_query(per_field)

    def plan(self, text: str) -> Plan | None:
        matcher = Matcher()
        clauses: list[Query] = []
        for phrase in _QUOTED.findall(text):
            tokens = self.tokens(phrase)
            if tokens:
                matcher.exact.update(t.term for t in tokens)
                clauses.append(self._phrase_clause(tokens, 1.0))
        # Blank out quoted parts (keeping offsets) and any stray quote.
        rest = _QUOTED.sub(lambda m: " " * len(m.group(0)), text).replace('"', " ")
        tokens = self.tokens(rest)
        longest = max((len(k) for k in self._synonyms), default=1)
        i = 0
        while i < len(tokens):
            span = 1
            alternatives: list[list[Token]] = []
            for size in range(min(longest, len(tokens) - i), 0, -1):
                key = tuple(t.term for t in tokens[i : i + size])
                if key in self._synonyms:
                    span, alternatives = size, self._synonyms[key]
                    break
            words = []
            for token in tokens[i : i + span]:
                word = rest[token.start : token.end]
                is_last = token is tokens[-1] and token.end == len(text)
                prefix = None
                if is_last and len(word) >= PREFIX_MIN_CHARS:
                    folded = self._folder.analyze(word)
                    prefix = folded[0] if folded else None
                words.append(self._word_clause(token, word, prefix, matcher))
            own = words[0] if span == 1 else Query.boolean_query([(Occur.Must, w) for w in words])
            if alternatives:
                options = [(Occur.Should, own)]
                for alternative in alternatives:
                    matcher.exact.update(t.term for t in alternative)
                    options.append((Occur.Should, self._phrase_clause(alternative, SYNONYM_WEIGHT)))
                clauses.append(Query.boolean_query(options))
            else:
                clauses.append(own)
            i += span
        return Plan(clauses, matcher) if clauses else None

    def filters(self, query: SearchQuery) -> list[tuple[Occur, Query]]:
        def exact(name: str, value: Any) -> tuple[Occur, Query]:
            return (
                Occur.Must,
                Query.const_score_query(Query.term_query(self._schema, name, value), 0.0),
            )

        principals = sorted(set(query.principals))
        visible = (
            Query.term_set_query(self._schema, "visible_to", principals)
            if principals
            else Query.empty_query()
        )
        filters = [(Occur.Must, Query.const_score_query(visible, 0.0))]
        for name, value in (
            ("type", query.type),
            ("cornerstone", query.cornerstone),
            ("instruments", query.instrument),
            ("status", query.status),
            ("currency", query.currency),
        ):
            if value is not None:
                filters.append(exact(name, value))
        if not query.include_hidden:
            filters.append((Occur.MustNot, Query.term_query(self._schema, "hidden", True)))
        current = Query.term_query(self._schema, "currency", CURRENT)
        filters.append((Occur.Should, Query.const_score_query(current, CURRENT_BONUS)))
        return filters

    def search(self, searcher: tantivy.Searcher, query: SearchQuery) -> Found:
        plan = self.plan(query.text)
        filters = self.filters(query)
        limit = max(1, min(query.limit, 1000))
        offset = (max(query.page, 1) - 1) * max(query.limit, 0)
        wanted = query.limit > 0 and offset < searcher.num_docs

        def run(text_query: Query, order_by_date: bool) -> tuple[Query, int, list[Any]]:
            full = Query.boolean_query([(Occur.Must, text_query), *filters])
            if order_by_date:
                found = searcher.search(
                    full,
                    limit,
                    offset=offset if wanted else 0,
                    order_by_field="created_at",
                    order=tantivy.Order.Desc,
                )
            else:
                found = searcher.search(full, limit, offset=offset if wanted else 0)
            total = found.count  # type: ignore[attr-defined]  # missing from tantivy's stub
            return full, int(total or 0), [address for _score, address in found.hits]

        if plan is None:
            full, total, addresses = run(Query.all_query(), True)
        else:
            must = [(Occur.Must, clause) for clause in plan.clauses]
            full, total, addresses = run(Query.boolean_query(must), False)
            if total == 0 and len(plan.clauses) > 1:
                should = [(Occur.Should, clause) for clause in plan.clauses]
                full, total, addresses = run(Query.boolean_query(should, 1), False)
        aggregation = {name: {"terms": {"field": name, "size": FACET_BUCKETS}} for name in FACETS}
        facets = {
            name: bucket_counts(buckets)
            for name, buckets in searcher.aggregate(full, aggregation).items()
        }
        matcher = plan.matcher if plan is not None else Matcher()
        documents = [searcher.doc(a) for a in addresses] if wanted else []
        return Found(total, facets, documents, matcher)


def bucket_counts(aggregation: dict[str, Any]) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in aggregation.get("buckets", [])}
