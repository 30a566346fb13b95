"""Sorting an answer in Python by its query's ORDER BY (kg.ordering)."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import BNode, Literal, URIRef

from kg.ordering import OrderKey, client_order, sort_rows
from kg.queries import run_query
from kg.store import open_store

Q = """SELECT ?a (MIN(?x) AS ?b) ?c WHERE {
  ?s ?p ?a . OPTIONAL { ?s ?q ?x } OPTIONAL { ?s ?r ?c }
} GROUP BY ?a ?c
"""


@pytest.mark.parametrize("clause, keys", [
    ("ORDER BY ?a", (OrderKey("a"),)),
    ("ORDER BY DESC(?b) ?a ASC(?c)", (OrderKey("b", True), OrderKey("a"), OrderKey("c"))),
    ("ORDER BY (!BOUND(?b)) ?b", (OrderKey("b", False, "unbound"), OrderKey("b"))),
    ('order by desc(?a = "registry") ?c  # registry first', (OrderKey("a", True, "equals", "registry"),
                                                             OrderKey("c"))),
])
def test_the_order_clause_is_split_from_the_query(clause, keys):
    text, got = client_order(Q + clause + "\n")
    assert got == keys
    assert text == Q and "ORDER" not in text.upper()


@pytest.mark.parametrize("clause", [
    "ORDER BY ?a LIMIT 10",               # a page: the engine must sort before it cuts
    "ORDER BY ?s",                         # not selected
    "ORDER BY STRLEN(?a)",                 # an expression Python does not evaluate
    "ORDER BY (?b + 1)",
    'ORDER BY (?a = "x\\"y")',
])
def test_what_python_cannot_sort_stays_with_the_engine(clause):
    assert client_order(Q + clause + "\n") is None


def test_no_order_and_select_star_stay_as_written():
    assert client_order(Q) is None
    assert client_order("SELECT * WHERE { ?a ?p ?o } ORDER BY ?a") is None


def test_ordering_by_a_bound_parameter_is_dropped_selected_or_not():
    assert client_order(Q + "ORDER BY ?s ?a\n") is None
    assert client_order(Q + "ORDER BY ?s ?a\n", frozenset({"s"}))[1] == (OrderKey("a"),)


def test_terms_sort_as_sparql_orders_them():
    """Unbound, blank nodes, IRIs, then literals; numbers by value whatever their type,
    dates by value, strings by code point (Arabic after Latin)."""
    rows = [(Literal("عمان"),), (Literal("Zarqa"),), (Literal("amman"),), (URIRef("http://x/b"),),
            (None,), (BNode("n1"),), (URIRef("http://x/a"),)]
    got = [r[0] for r in sort_rows(["v"], rows, [OrderKey("v")])]
    assert got == [None, BNode("n1"), URIRef("http://x/a"), URIRef("http://x/b"), Literal("Zarqa"),
                   Literal("amman"), Literal("عمان")]
    nums = [(Literal(10),), (Literal("9.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),), (Literal(2.0),), (Literal(-1),)]
    assert [r[0].value for r in sort_rows(["n"], nums, [OrderKey("n", True)])] == [10, 9.5, 2.0, -1]
    days = [(Literal(dt.date(2024, 1, 2)),), (None,), (Literal(dt.date(2023, 12, 31)),)]
    assert [r[0] for r in sort_rows(["d"], days, [OrderKey("d", False, "unbound"), OrderKey("d")])] == \
        [Literal(dt.date(2023, 12, 31)), Literal(dt.date(2024, 1, 2)), None]


def test_directions_mix_and_ties_fall_back_to_the_whole_row():
    rows = [(Literal("b"), Literal(1), Literal("z")), (Literal("a"), Literal(1), Literal("y")),
            (Literal("a"), Literal(3), Literal("x")), (Literal("a"), Literal(1), Literal("w"))]
    got = sort_rows(["k", "n", "t"], rows, [OrderKey("k"), OrderKey("n", True)])
    assert [(str(r[0]), r[1].value, str(r[2])) for r in got] == [("a", 3, "x"), ("a", 1, "w"), ("a", 1, "y"),
                                                                  ("b", 1, "z")]


def test_equals_puts_the_registry_rows_first():
    """An unbound id cannot be compared: an error, lowest, so last in a descending key."""
    rows = [(Literal("item-2"),), (Literal("registry"),), (None,), (Literal("item-1"),)]
    got = sort_rows(["id"], rows, [OrderKey("id", True, "equals", "registry"), OrderKey("id")])
    assert [r[0] for r in got] == [Literal("registry"), Literal("item-1"), Literal("item-2"), None]


def test_a_declared_query_comes_back_in_its_order_on_an_rdflib_store(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text('# Names.\n# param ?min (int): at least (default 0)\nPREFIX ex: <http://x/>\n'
                    'SELECT ?name ?n WHERE { ?s ex:name ?name ; ex:n ?n FILTER(?n >= ?min) }\n'
                    'ORDER BY DESC(?n) ?name\n', encoding="utf-8")
    with open_store(":memory:") as st:
        for i, name in enumerate(["Beirut", "Amman", "عمان", "Erbil"]):
            st.put_graph(URIRef(f"http://x/g{i}"), [(URIRef(f"http://x/s{i}"), URIRef("http://x/name"), Literal(name)),
                                                   (URIRef(f"http://x/s{i}"), URIRef("http://x/n"), Literal(i % 2))])
        got = run_query(st, path, {})
        assert [(str(r[0]), r[1].value) for r in got.rows] == [("Amman", 1), ("Erbil", 1), ("Beirut", 0), ("عمان", 0)]
        assert [str(r[0]) for r in run_query(st, path, {"min": 1}).rows] == ["Amman", "Erbil"]
