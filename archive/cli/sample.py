"""``luutru sample …`` builds sample dossier packages; ``luutru push …`` sends them like a QLVB.

Both are single-command Typer apps (the options live on the callback), so that
``app.add_typer(sample.app, name="sample")`` gives ``luutru sample --documents 10 …``.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from ingest.sample.agencies import AGENCIES
from ingest.sample.broken import BROKEN_RULES
from ingest.sample.package import (
    BuiltPackage,
    PackageSpec,
    agency_pki,
    build_package,
    default_cache_dir,
)
from ingest.sample.push import PushError, finding_lines, push_package
from metadata_schemas.enums import ConfidenceLevel, Maintenance, Mode

app = typer.Typer(help="Tạo gói hồ sơ mẫu SIP_hoso / build sample dossier packages")
# A group stops parsing options at its first argument; `push` wants options after the files.
push_app = typer.Typer(
    help="Gửi gói như phần mềm QLVB / send packages like a QLVB system",
    context_settings={"allow_interspersed_args": True},
)
PROGRESS_AFTER_SECONDS = 1.0


def _fail(message: str) -> typer.Exit:
    typer.echo(f"lỗi / error: {message}", err=True)
    return typer.Exit(2)


@app.callback(invoke_without_command=True)
def sample(
    documents: Annotated[int, typer.Option(help="số tài liệu / documents per dossier")] = 5,
    pages_min: Annotated[int, typer.Option(help="trang tối thiểu / min pages")] = 1,
    pages_max: Annotated[int, typer.Option(help="trang tối đa / max pages")] = 3,
    seed: Annotated[int, typer.Option(help="hạt giống / seed (same seed, same bytes)")] = 1,
    out: Annotated[Path, typer.Option(help="thư mục ra / output folder")] = Path("sample-out"),
    count: Annotated[int, typer.Option(help="số gói (seeds S, S+1, …) / packages")] = 1,
    broken: Annotated[
        str | None, typer.Option(help="tên quy tắc bị vi phạm, 'list' để xem / broken rule")
    ] = None,
    digitised: Annotated[bool, typer.Option(help="hồ sơ số hóa (mức tin cậy 02)")] = False,
    large_mb: Annotated[int, typer.Option(help="thêm phụ lục quét ~M MB / large file")] = 0,
    attachment_share: Annotated[float, typer.Option(help="tỷ lệ tài liệu có phụ lục")] = 0.3,
    year: Annotated[int, typer.Option(help="năm hình thành hồ sơ")] = 2025,
    maintenance: Annotated[Maintenance, typer.Option(help="thời hạn lưu trữ 01–07")] = (
        Maintenance.YEARS_20
    ),
    mode: Annotated[str, typer.Option(help="chế độ sử dụng 01/02")] = Mode.PUBLIC.value,
    cache_dir: Annotated[Path | None, typer.Option(help="bộ nhớ đệm PKI / PKI cache")] = None,
    agency: Annotated[
        str | None,
        typer.Option(help="mã cơ quan (QĐ 20/2020) / agency code, e.g. 000.00.01.H41"),
    ] = None,
    jobs: Annotated[int, typer.Option(help="số tiến trình song song / parallel processes")] = 1,
) -> None:
    """Build COUNT packages; print each zip path. The test CA that signed them is written to
    OUT/test-root.pem (``luutru admin add-trust-anchor`` it on a demo archive, never on a real
    one)."""
    if broken == "list":
        for variant in BROKEN_RULES.values():
            typer.echo(f"{variant.name}\t{variant.description_vi} / {variant.description_en}")
        return
    if broken is not None and broken not in BROKEN_RULES:
        raise _fail(f"unknown rule {broken!r}; see --broken list")
    if count < 1:
        raise _fail("--count must be at least 1")
    if jobs < 1:
        raise _fail("--jobs must be at least 1")
    if mode not in (Mode.PUBLIC.value, Mode.CONDITIONAL.value):
        raise _fail("--mode must be 01 or 02 (03 only via --broken secret-dossier-mode-03)")
    chosen = None
    if agency is not None:
        chosen = next((a for a in AGENCIES if a.code == agency), None)
        if chosen is None:
            known = ", ".join(a.code for a in AGENCIES)
            raise _fail(f"no sample agency {agency!r}; choose one of {known}")
    spec = PackageSpec(
        seed=seed,
        agency=chosen,
        year=year,
        documents=documents,
        pages_min=pages_min,
        pages_max=pages_max,
        attachment_share=attachment_share,
        confidence_level=ConfidenceLevel.DIGITISED if digitised else ConfidenceLevel.BORN_DIGITAL,
        maintenance=maintenance,
        mode=Mode(mode),
        large_mb=large_mb,
    )
    try:
        spec.check()
        built = _build_all(spec, out, count, broken, cache_dir, jobs)
    except (ValueError, OSError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise _fail(first_line) from None
    for package in built:
        typer.echo(str(package.zip_path))
    _write_test_roots(built, out, cache_dir)


def _write_test_roots(built: list[BuiltPackage], out: Path, cache_dir: Path | None) -> None:
    roots = []
    for agency, year in sorted({(p.agency, p.year) for p in built}, key=lambda k: k[0].code):
        pki, _ = agency_pki(agency, year, cache_dir or default_cache_dir())
        pem = pki.root_pem.read_bytes()
        if pem not in roots:
            roots.append(pem)
    (out / "test-root.pem").write_bytes(b"".join(roots))


def _build_one(
    spec: PackageSpec, out: Path, broken: str | None, cache_dir: Path | None
) -> BuiltPackage:
    if broken is None:
        return build_package(spec, out, cache_dir=cache_dir)
    return BROKEN_RULES[broken].build(spec, out, cache_dir)


def _build_all(
    spec: PackageSpec,
    out: Path,
    count: int,
    broken: str | None,
    cache_dir: Path | None,
    jobs: int = 1,
) -> list[BuiltPackage]:
    started = time.monotonic()
    specs = [dataclasses.replace(spec, seed=spec.seed + i, sequence=i + 1) for i in range(count)]
    built: dict[int, BuiltPackage] = {}
    with (
        Progress(transient=True, auto_refresh=False) as progress,
        concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool,
    ):
        task = progress.add_task("Đang tạo gói / building", total=count, visible=False)
        futures = {
            pool.submit(_build_one, one, out, broken, cache_dir): index
            for index, one in enumerate(specs)
        }
        for future in concurrent.futures.as_completed(futures):
            built[futures[future]] = future.result()
            # Only runs longer than a second show a bar.
            if time.monotonic() - started > PROGRESS_AFTER_SECONDS:
                progress.update(task, visible=True)
            progress.update(task, advance=1)
            progress.refresh()
    return [built[index] for index in range(count)]


@push_app.callback(invoke_without_command=True)
def push(
    packages: Annotated[list[Path], typer.Argument(help="gói zip / package zips")],
    url: Annotated[str, typer.Option(help="địa chỉ kho lưu trữ, e.g. http://127.0.0.1:8000")],
    api_key: Annotated[str, typer.Option(help="khóa API của hệ thống QLVB")],
    timeout: Annotated[float, typer.Option(help="chờ tối đa mỗi gói (giây)")] = 600.0,
) -> None:
    """Send each package, wait for its verdict, print its findings; exit 1 on any error."""
    any_error = False
    for package in packages:
        if not package.is_file():
            raise _fail(f"{package}: no such file")
        try:
            result = push_package(package, url=url, api_key=api_key, timeout=timeout)
        except PushError as error:
            raise _fail(str(error)) from None
        typer.echo(f"{package.name}: {result.status} ({result.submission_id})")
        for line in finding_lines(result):
            typer.echo(line)
        any_error = any_error or result.has_error
    if any_error:
        raise typer.Exit(1)
