"""Turn a ReportLab PDF into a deterministic PDF/A-2b file.

ReportLab with ``invariant=1`` already fixes its own dates and /ID. pikepdf's PDF/A preparation
adds the sRGB output intent and XMP, but stamps ``xmp:MetadataDate`` with the clock, so the
dates and XMP identifiers are pinned here to values derived from the document.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa

# Namespace for the XMP DocumentID/InstanceID of sample documents (uuid5 of the description).
_UUID_NAMESPACE = uuid.UUID("6f1c1f1e-4b4d-5e0a-9d55-3c1f5a3b2e10")
CREATOR_TOOL = "Lưu trữ điện tử — tài liệu mẫu"


@dataclass(frozen=True)
class PdfaInfo:
    title: str
    author: str  # the issuing agency
    subject: str
    created: dt.datetime  # timezone-aware; also used as modification and metadata date


def pdf_date(moment: dt.datetime) -> str:
    offset = moment.strftime("%z")
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def save_pdfa_2b(source: Path, destination: Path, info: PdfaInfo) -> None:
    """Write ``source`` (any PDF whose fonts are embedded) to ``destination`` as PDF/A-2b.

    Raises ``pikepdf.pdfa.PdfaError`` if pikepdf's validator does not approve the result.
    """
    if info.created.tzinfo is None:
        raise ValueError("the creation time needs a time zone")
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            # ReportLab writes an empty /Trans (page transition) that the validator rejects.
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        stamp = pdf_date(info.created)
        pdf.docinfo["/Title"] = info.title
        pdf.docinfo["/Author"] = info.author
        pdf.docinfo["/Subject"] = info.subject
        pdf.docinfo["/Creator"] = CREATOR_TOOL
        pdf.docinfo["/CreationDate"] = stamp
        pdf.docinfo["/ModDate"] = stamp
        pikepdf.pdfa.prepare(pdf, "2b")
        identity = uuid.uuid5(_UUID_NAMESPACE, f"{info.title}|{info.author}|{stamp}")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["xmp:MetadataDate"] = info.created.isoformat()
            xmp["xmpMM:DocumentID"] = f"uuid:{identity}"
            xmp["xmpMM:InstanceID"] = f"uuid:{identity}"
        pikepdf.pdfa.save(
            pdf, destination, "2b", repair=False, deterministic_id=True, force_version="1.7"
        )
