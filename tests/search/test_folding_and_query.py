"""Folding, the query language and the SQL match strings, as data."""

from __future__ import annotations

import pytest

from search import sql
from search.errors import InvalidSearch
from search.folding import fold, symbol_tokens, token_text
from search.query import parse_query
from search.spec import Cursor, SearchRequest


def test_fold_removes_diacritics_including_d_bar() -> None:
    assert fold("Quyết định số 123/QĐ-UBND – Đồng Nai, đường, Ương, ỹ") == (
        "quyet dinh so 123/qd-ubnd – dong nai, duong, uong, y"
    )
    assert token_text("Đồng Nai: 15/QĐ-UBND") == "dong nai 15 qd ubnd"
    assert token_text("Đồng Nai", folded=False) == "đồng nai"


def test_symbols_are_one_token_and_their_parts() -> None:
    assert symbol_tokens("15", "QĐ-UBND") == ["15qdubnd", "qdubnd", "15", "qd", "ubnd"]
    assert symbol_tokens(None, None) == []


def test_query_language() -> None:
    query = parse_query('Quyết định "sử dụng đất" 15/QĐ-UBND quy*')
    assert query.words == ["quyet", "dinh"]
    assert query.exact_words == ["quyết", "định"]
    assert [p.folded for p in query.phrases] == [("su", "dung", "dat")]
    assert query.symbols == ["15qdubnd"]
    assert query.prefixes == ["quy"]
    assert parse_query("quyet dinh").exact_words == []  # typed without diacritics: no boost


def test_match_strings_make_phrases_and_symbols_required() -> None:
    query = parse_query('"quyet dinh" ubnd')
    fts5 = sql.fts5_match(query)
    assert fts5 is not None and fts5.startswith('{f_title f_meta f_symbol f_body} : ("quyet dinh")')
    assert sql.pg_match_tsquery(query) == "('quyet' <-> 'dinh')"
    assert sql.pg_rank_tsquery(query) == "('quyet' <-> 'dinh') | 'ubnd'"
    assert sql.fts5_match(parse_query("dong*")) == '{f_title f_meta f_symbol f_body} : ("dong" *)'
    assert sql.pg_match_tsquery(parse_query("15/QĐ-UBND")) == "'15qdubnd'"
    assert sql.fts5_match(parse_query("")) is None


def test_requests_validate_and_cursors_round_trip() -> None:
    request = SearchRequest.from_params(q="x", agency=["A,B"], year_from=2020, status=["archived"])
    assert request.filters.agencies == ("A", "B")
    with pytest.raises(InvalidSearch):
        SearchRequest.from_params(status=["lost"])
    with pytest.raises(InvalidSearch):
        SearchRequest.from_params(year_from=2022, year_to=2020)
    cursor = Cursor("relevance", 0.1 + 0.2, "abc")
    assert Cursor.decode(cursor.encode(), "relevance") == cursor
    with pytest.raises(InvalidSearch):
        Cursor.decode(cursor.encode(), "date")
