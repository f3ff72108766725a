"""The one place that turns a :class:`LocationConfig` into a concrete backend."""

from __future__ import annotations

from storage.config import LocationConfig
from storage.errors import StorageConfigError
from storage.interfaces import ObjectStore


def open_store(config: LocationConfig, *, create: bool = False) -> ObjectStore:
    """Return the :class:`ObjectStore` for ``config``.

    With ``create=True`` the local folder or the S3 bucket is created when missing (set-up and
    tests); otherwise nothing is touched.
    """
    if config.kind == "local":
        from storage.local import LocalStore

        assert config.path is not None
        local = LocalStore(config.name, config.path, config.prefix)
        if create:
            local.root.mkdir(parents=True, exist_ok=True)
        return local
    if config.kind == "s3":
        from storage.s3 import S3Store

        s3 = S3Store(config)
        if create:
            s3.ensure_bucket()
        return s3
    raise StorageConfigError("unknown location kind", name=config.name, kind=config.kind)


def open_stores(configs: list[LocationConfig], *, create: bool = False) -> list[ObjectStore]:
    return [open_store(c, create=create) for c in configs]
