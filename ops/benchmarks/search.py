"""Search bench: relevance (recall@10, MRR@10) of each SQL backend next to a plain BM25
computed in the same run over the same texts, then latency/QPS of a fixed query mix for users
with different rights, and indexing documents/s. JSON on stdout.

    ./ops/bench search --documents 20000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from archive.catalog.access import DocumentText
from archive.catalog.accounts import User
from archive.catalog.base import utcnow
from archive.catalog.engine import make_engine, session_scope
from archive.catalog.records import Document, Dossier
from archive.services import accounts
from archive.services.indexing import rebuild
from archive.services.search_service import SqlSearch
from archive.settings import Settings
from ops.benchmarks import search_corpus
from search.folding import fold, folded_tokens
from search.spec import SearchRequest

NOISE = ["về", "việc", "của", "cho", "năm", "tỉnh", "văn bản", "hồ sơ"]


class PlainBM25:
    """Okapi BM25 (k1 1.2, b 0.75) over one field of folded tokens."""

    def __init__(self, docs: dict[str, list[str]]) -> None:
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.length = {d: len(t) for d, t in docs.items()}
        self.avg = sum(self.length.values()) / max(1, len(docs))
        for doc_id, tokens in docs.items():
            for token, n in Counter(tokens).items():
                self.postings[token][doc_id] = n
        self.n = len(docs)

    def top(self, query: str, k: int = 10) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        for token in set(folded_tokens(query)):
            posting = self.postings.get(token, {})
            idf = math.log(1 + (self.n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc_id, tf in posting.items():
                norm = tf + 1.2 * (1 - 0.75 + 0.75 * self.length[doc_id] / self.avg)
                scores[doc_id] += idf * tf * 2.2 / norm
        return [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


def _questions(
    rng: random.Random, docs: list[tuple[str, str]], count: int
) -> list[tuple[str, str]]:
    out = []
    for doc_id, subject in rng.sample(docs, min(count, len(docs))):
        words = subject.split()
        picked = rng.sample(words, min(len(words), rng.randint(3, 5)))
        question = " ".join([*picked, rng.choice(NOISE)])
        out.append((doc_id, question if rng.random() < 0.5 else fold(question)))
    return out


def _score(ranked: list[list[str]], answers: list[str]) -> dict[str, float]:
    recall = sum(a in r[:10] for r, a in zip(ranked, answers, strict=True)) / len(answers)
    mrr = sum(
        1 / (r.index(a) + 1) if a in r[:10] else 0 for r, a in zip(ranked, answers, strict=True)
    )
    return {"recall@10": round(recall, 4), "mrr@10": round(mrr / len(answers), 4)}


def _principal(session: Any, username: str) -> Any:
    user = session.scalar(sa.select(User).where(User.username == username))
    return accounts.principal_for_user(session, user)


def _mix(
    rng: random.Random, subjects: list[str], symbols: list[str], agencies: list[str]
) -> list[SearchRequest]:
    """200 fixed queries: words with/without diacritics, phrases, symbols, filters, facets."""
    out = []
    for n in range(200):
        words = rng.choice(subjects).split()
        start = rng.randrange(0, max(1, len(words) - 2))
        kind = n % 5
        if kind == 0:
            text = " ".join(words[start : start + 3])
        elif kind == 1:
            text = fold(" ".join(words[start : start + 3]))
        elif kind == 2:
            text = '"' + " ".join(words[start : start + 2]) + '"'
        elif kind == 3:
            text = rng.choice(symbols)
        else:
            text = fold(" ".join(words[start : start + 2]))
        filtered = n % 2 == 0
        out.append(
            SearchRequest.from_params(
                q=text,
                agency=[rng.choice(agencies)] if filtered else None,
                year_from=rng.randint(2005, 2015) if filtered else None,
                year_to=2024 if filtered else None,
                kind=["document"] if n % 4 == 0 else None,
                limit=20,
            )
        )
    return out


def run_backend(
    name: str, url: str, documents: int, questions: int, rng_seed: int, relevance: bool = True
) -> dict[str, Any]:
    search_corpus.build(url, documents)
    engine = make_engine(url)
    settings = Settings(database_url=url, search_backend="sql")
    result: dict[str, Any] = {
        "backend": name,
        "documents": documents,
        "load_average_at_start": os.getloadavg(),
    }
    with session_scope(engine) as session:
        indexed = session.scalar(sa.text("SELECT count(*) FROM search_entries"))
    dossiers = documents // search_corpus.DOCS_PER_DOSSIER
    if indexed != documents + dossiers - 0 and indexed is not None and indexed < documents:
        start = time.perf_counter()
        rebuild(engine, settings, batch_size=500, restart=True)
        seconds = time.perf_counter() - start
        result["indexing"] = {
            "seconds": round(seconds, 1),
            "documents_per_s": round(documents / seconds),
            "load_average_after": os.getloadavg(),
        }
    else:
        result["indexing"] = "reused (index already built; run with a fresh database to measure)"
    if engine.dialect.name == "postgresql":
        # As autovacuum would after a bulk load: GIN's pending list merged, statistics fresh.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM (ANALYZE) search_entries"))
    rng = random.Random(rng_seed)
    with session_scope(engine) as session:
        rows = session.execute(
            sa.select(
                Document.id,
                Document.subject,
                DocumentText.text,
                Document.code_number,
                Document.code_notation,
            )
            .join(DocumentText, DocumentText.document_id == Document.id)
            .join(Dossier, Dossier.id == Document.dossier_id)
            .where(Dossier.status != "destroyed")
        ).all()
        subjects = [(r.id, r.subject) for r in rows]
        symbols = [
            f"{r.code_number}/{r.code_notation}" for r in rng.sample(rows, min(200, len(rows)))
        ]
        if relevance:
            result["relevance"] = _relevance(session, rng, rows, subjects, questions)
        agencies = [f"000.00.{n:02d}.H41" for n in range(1, 10)]
        # Its own generator: the same 200 queries whatever --questions and --no-relevance say.
        mix = _mix(random.Random(rng_seed + 1), [s for _, s in subjects], symbols, agencies)
        latency: dict[str, Any] = {}
        for username in ("admin", "archivist", "official"):
            principal = _principal(session, username)
            times = []
            for request in mix:
                t0 = time.perf_counter()
                SqlSearch(session, principal, utcnow()).search(request)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            cuts = statistics.quantiles(times, n=100)
            latency[username] = {
                "p50_ms": round(cuts[49], 2),
                "p95_ms": round(cuts[94], 2),
                "p99_ms": round(cuts[98], 2),
                "qps": round(len(times) / (sum(times) / 1000), 1),
            }
        result["latency_200_queries_with_facets"] = latency
        result["load_average_at_end"] = os.getloadavg()
    engine.dispose()
    return result


def _relevance(
    session: Any, rng: random.Random, rows: Any, subjects: list[tuple[str, str]], questions: int
) -> dict[str, Any]:
    started = time.perf_counter()
    baseline = PlainBM25({r.id: folded_tokens(f"{r.subject} {r.text}") for r in rows})
    baseline_build = time.perf_counter() - started
    asked = _questions(rng, subjects, questions)
    answers = [a for a, _ in asked]
    admin = _principal(session, "admin")
    ranked = []
    for _, q in asked:
        hits = (
            SqlSearch(session, admin, utcnow())
            .search(SearchRequest(text=q, limit=10, facets=False, filters=_docs_only()))
            .hits
        )
        ranked.append([h.record_id for h in hits])
    plain = [baseline.top(q) for _, q in asked]
    out: dict[str, Any] = {
        "questions": len(asked),
        "backend": _score(ranked, answers),
        "plain_bm25": _score(plain, answers),
        "plain_bm25_build_s": round(baseline_build, 1),
    }
    for label, typed in (("with_diacritics", True), ("without_diacritics", False)):
        picked = [n for n, (_, q) in enumerate(asked) if (fold(q) != q) == typed]
        if picked:
            out[label] = {
                "questions": len(picked),
                "backend": _score([ranked[n] for n in picked], [answers[n] for n in picked]),
                "plain_bm25": _score([plain[n] for n in picked], [answers[n] for n in picked]),
            }
    return out


def _docs_only() -> Any:
    from search.spec import SearchFilters

    return SearchFilters(kinds=("document",))


def _pg_url(base: str, documents: int) -> str:
    name = f"luutru_bench_search_{documents}"
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--sqlite-documents", type=int, default=None, help="default: --documents")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument(
        "--relevance",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--no-relevance: latency and indexing only",
    )
    parser.add_argument("--workdir", type=Path, default=Path("var/bench/search"))
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    out = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            n = args.sqlite_documents or args.documents
            args.workdir.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{(args.workdir / f'catalog-{n}.sqlite').resolve()}"
        else:
            n = args.documents
            url = _pg_url(args.postgres_url, n)
        print(f"search bench: {backend} {n} documents …", file=sys.stderr)
        out.append(run_backend(backend, url, n, args.questions, 11, args.relevance))
    json.dump({"bench": "search", "results": out}, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
