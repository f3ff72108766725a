"""The package's data files as :class:`ingest.context.PackageFile` for the content checks."""

from __future__ import annotations

from ingest.context import DocumentInfo, PackageFile
from ingest.package.model import Document, FileRef, Package

MAPS_AND_DRAWINGS = frozenset({"30", "31"})  # TT05 typeName: Bản đồ, Bản vẽ kỹ thuật


def _info(package: Package, document: Document, is_attachment: bool) -> DocumentInfo:
    fields = document.fields
    confidence = fields.get("confidenceLevel") or package.dossier_fields.get("confidenceLevel", "")
    type_name = fields.get("typeName", "")
    return DocumentInfo(
        doc_id=document.doc_id,
        confidence_level=confidence,
        type_name=type_name,
        code_number=fields.get("codeNumber", ""),
        code_notation=fields.get("codeNotation", ""),
        is_attachment=is_attachment,
        is_map_or_drawing=type_name in MAPS_AND_DRAWINGS,
    )


def _package_file(package: Package, ref: FileRef, info: DocumentInfo | None) -> PackageFile | None:
    if ref.path is None:
        return None
    path = package.root / ref.path
    if not path.is_file() or path.is_symlink():
        return None  # reported by the package checks
    return PackageFile(path=path, logical_path=ref.path, size=path.stat().st_size, document=info)


def content_files(package: Package) -> list[PackageFile]:
    """Every data file of the representation that exists, each with what its EAD_doc says.

    Files of a document come main file first, then attachments; data files that no document
    claims follow with ``document=None``.
    """
    files: list[PackageFile] = []
    claimed: set[str] = set()
    for document in package.documents:
        for index, ref in enumerate(document.files):
            claimed.add(ref.id)
            item = _package_file(package, ref, _info(package, document, index > 0))
            if item is not None:
                files.append(item)
    if package.representation is not None:
        for ref in package.representation.files.values():
            if ref.id not in claimed:
                item = _package_file(package, ref, None)
                if item is not None:
                    files.append(item)
    return files
