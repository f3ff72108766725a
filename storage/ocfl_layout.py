"""OCFL storage-root layout extension 0004-hashed-n-tuple-storage-layout.

https://ocfl.github.io/extensions/0004-hashed-n-tuple-storage-layout.html — the object id (UTF-8)
is hashed, the lower-case hex digest cut into ``numberOfTuples`` tuples of ``tupleSize``
characters, and the full digest (or, with ``shortObjectRoot``, the rest) names the object root.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from storage.errors import OcflError

EXTENSION_NAME = "0004-hashed-n-tuple-storage-layout"
DESCRIPTION = "OCFL object identifiers are hashed and encoded as lowercase hex strings. These digests are then divided into N n-tuple segments, which are used to create nested paths under the OCFL storage root."  # noqa: E501
CONFIG_PATH = f"extensions/{EXTENSION_NAME}/config.json"
_ALGORITHMS = ("md5", "sha1", "sha256", "sha512", "blake2b-512")


@dataclass(frozen=True)
class HashedNTupleLayout:
    digest_algorithm: str = "sha256"
    tuple_size: int = 3
    number_of_tuples: int = 3
    short_object_root: bool = False

    def __post_init__(self) -> None:
        if self.digest_algorithm not in _ALGORITHMS:
            raise OcflError("unsupported layout digest", algorithm=self.digest_algorithm)
        if (self.tuple_size == 0) != (self.number_of_tuples == 0):
            raise OcflError("tupleSize and numberOfTuples must both be 0 or both positive")
        if self.tuple_size < 0 or self.number_of_tuples < 0:
            raise OcflError("tupleSize and numberOfTuples must not be negative")
        length = len(self._digest(""))
        used = self.tuple_size * self.number_of_tuples
        if used > length or (self.short_object_root and used >= length):
            raise OcflError("tuples longer than the digest", digest_length=length, used=used)

    def _digest(self, object_id: str) -> str:
        data = object_id.encode("utf-8")
        if self.digest_algorithm == "blake2b-512":
            return hashlib.blake2b(data, digest_size=64).hexdigest()
        return hashlib.new(self.digest_algorithm, data).hexdigest()

    def object_root(self, object_id: str) -> str:
        """The object's root directory, relative to the storage root ('/'-separated)."""
        if not object_id:
            raise OcflError("empty object id")
        digest = self._digest(object_id)
        size, count = self.tuple_size, self.number_of_tuples
        tuples = [digest[i * size : (i + 1) * size] for i in range(count)]
        last = digest[size * count :] if self.short_object_root else digest
        return "/".join([*tuples, last])

    @property
    def depth(self) -> int:
        """How many directory levels lie between the storage root and an object root."""
        return self.number_of_tuples + 1

    def config(self) -> dict[str, Any]:
        return {
            "extensionName": EXTENSION_NAME,
            "digestAlgorithm": self.digest_algorithm,
            "tupleSize": self.tuple_size,
            "numberOfTuples": self.number_of_tuples,
            "shortObjectRoot": self.short_object_root,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> HashedNTupleLayout:
        if config.get("extensionName") != EXTENSION_NAME:
            raise OcflError("layout config is not for 0004", config=config)
        try:
            return cls(
                digest_algorithm=str(config.get("digestAlgorithm", "sha256")),
                tuple_size=int(config.get("tupleSize", 3)),
                number_of_tuples=int(config.get("numberOfTuples", 3)),
                short_object_root=bool(config.get("shortObjectRoot", False)),
            )
        except (TypeError, ValueError) as exc:
            raise OcflError("bad layout config", config=config) from exc

    @staticmethod
    def layout_json() -> dict[str, str]:
        """Content of the storage root's ``ocfl_layout.json``."""
        return {"extension": EXTENSION_NAME, "description": DESCRIPTION}
