"""Digital signatures as NĐ 30/2020 Phụ lục I lays them out, made with pyHanko.

PAdES B-B (ETSI.CAdES.detached), SHA-256, RSA PKCS#1 v1.5: RSA keeps the file at PDF 1.7
(ECDSA makes pyHanko raise it to 2.0, which PDF/A-2 forbids), and PKCS#1 v1.5 signatures are
deterministic. Signing times come from the document date, never the clock, and the trailer /ID
of each increment is derived from the input, so the same inputs give the same bytes.

- Main document: the competent person signs first, with the blue signature image between the
  position title and the name; then the organisation, with the red seal over the left third of
  the signature image.
- Attachment in a separate file: the organisation only, top right of page 1, no image; the main
  document's number and symbol and the signing time (ISO 8601, +07:00), 10 pt black.
- Digitised document: the organisation only, top right of page 1: its name and the signing time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from PIL import Image
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp import StaticStampStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ingest.sample.ink import seal_image, signature_image
from ingest.sample.layout import Box, DocumentLayout
from ingest.sample.pdf_documents import VIETNAM
from ingest.sample.pki import Credential
from ingest.sample.text import AttachmentContent, DocumentContent
from ingest.sample.typeface import REGULAR, register_reportlab_fonts, text_width

PERSON_FIELD = "ChuKyNguoiCoThamQuyen"
ORGANISATION_FIELD = "ChuKyCoQuan"
STAMP_TEXT_SIZE = 10.0


class SigningError(RuntimeError):
    """The input is not fit to be signed, or the signed file is not what it must be."""


def default_signing_times(issued: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(person, organisation): 09:00 and 09:30 Vietnam time on the day of issue."""
    person = dt.datetime(issued.year, issued.month, issued.day, 9, 0, tzinfo=VIETNAM)
    return person, person + dt.timedelta(minutes=30)


SIGNATURE_BYTES_RESERVED = 16384  # RSA-2048 CMS with a 3-certificate chain is about 5 KB


def iso_time(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sign_main_document(
    unsigned: Path,
    destination: Path,
    content: DocumentContent,
    layout: DocumentLayout,
    *,
    person: Credential,
    organisation: Credential | None,
    person_time: dt.datetime | None = None,
    organisation_time: dt.datetime | None = None,
    check_pdfa: bool = True,
) -> None:
    """Person signs, then (unless ``organisation`` is None) the organisation countersigns.

    ``check_pdfa=False`` signs a file that is not PDF/A (broken variants only)."""
    if layout.signature_box is None or layout.seal_box is None:
        raise SigningError("the layout has no signer block")
    default_person, default_organisation = default_signing_times(content.issued_date)
    if check_pdfa:
        _require_pdfa(unsigned)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work_dir:
        work = Path(work_dir)
        signature = _image_appearance(
            signature_image(content.signer.full_name), layout.signature_box, work / "sig.pdf"
        )
        person_signed = destination if organisation is None else work / "person.pdf"
        _sign(
            unsigned,
            person_signed,
            person,
            field=PERSON_FIELD,
            box=layout.signature_box,
            appearance=signature,
            signing_time=person_time or default_person,
            location=content.agency.province,
        )
        if organisation is not None:
            seal = seal_image(content.agency.name, content.agency.parent_name)
            _sign(
                person_signed,
                destination,
                organisation,
                field=ORGANISATION_FIELD,
                box=layout.seal_box,
                appearance=_image_appearance(seal, layout.seal_box, work / "seal.pdf"),
                signing_time=organisation_time or default_organisation,
                location=content.agency.province,
            )


def sign_attachment(
    unsigned: Path,
    destination: Path,
    attachment: AttachmentContent,
    layout: DocumentLayout,
    *,
    organisation: Credential,
    signing_time: dt.datetime | None = None,
) -> None:
    moment = signing_time or default_signing_times(attachment.main.issued_date)[1]
    lines = [attachment.main.number_symbol, iso_time(moment)]
    _sign_corner(unsigned, destination, lines, layout, organisation, moment, attachment.main)


def sign_digitised(
    unsigned: Path,
    destination: Path,
    content: DocumentContent,
    layout: DocumentLayout,
    *,
    organisation: Credential,
    signing_time: dt.datetime | None = None,
) -> None:
    moment = signing_time or default_signing_times(content.issued_date)[1]
    lines = [content.agency.name, iso_time(moment)]
    _sign_corner(unsigned, destination, lines, layout, organisation, moment, content)


def _sign_corner(
    unsigned: Path,
    destination: Path,
    lines: list[str],
    layout: DocumentLayout,
    organisation: Credential,
    moment: dt.datetime,
    content: DocumentContent,
) -> None:
    _require_pdfa(unsigned)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work_dir:
        appearance = _text_appearance(lines, layout.corner_box, Path(work_dir) / "corner.pdf")
        _sign(
            unsigned,
            destination,
            organisation,
            field=ORGANISATION_FIELD,
            box=layout.corner_box,
            appearance=appearance,
            signing_time=moment,
            location=content.agency.province,
        )


class _FixedTimePdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given rather than read from the clock.

    pyHanko takes the time from ``PdfSigningSession.system_time``, which the public API
    only sets to ``datetime.now()``; the session is adjusted right after it is created.
    """

    def __init__(self, *args: Any, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


class _ImportedAppearance(content.ImportedPdfPage):
    """A page of another PDF as the stamp, under a name derived from that file's bytes.

    pyHanko's own ``ImportedPdfPage`` names the resource with ``uuid4``.
    """

    def render(self) -> bytes:
        writer = self._ensure_writer
        with open(self.file_name, "rb") as stream:
            xobject = writer.import_page_as_xobject(PdfFileReader(stream), page_ix=self.page_ix)
        digest = hashlib.sha256(Path(self.file_name).read_bytes()).hexdigest()[:32]
        name = f"/Import{digest}"
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


class _SignatureOnlyWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document's metadata alone.

    pyHanko otherwise rewrites the XMP packet and DocInfo with the clock's ModDate in every
    increment: the bytes would change from run to run and the increment would hold more than
    the signature.
    """

    def _update_meta(self) -> None:
        return None


def _sign(
    source: Path,
    destination: Path,
    credential: Credential,
    *,
    field: str,
    box: Box,
    appearance: Path,
    signing_time: dt.datetime,
    location: str,
) -> None:
    signer = _load_signer(
        str(credential.key_pem),
        str(credential.cert_pem),
        tuple(str(path) for path in credential.chain_pems),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        location=location,
    )
    field_spec = fields.SigFieldSpec(
        field, on_page=box.page, box=(round(box.x1), round(box.y1), round(box.x2), round(box.y2))
    )
    style = StaticStampStyle(
        background=_ImportedAppearance(str(appearance)), border_width=0, background_opacity=1
    )
    pdf_signer = _FixedTimePdfSigner(
        metadata,
        signer,
        stamp_style=style,
        new_field_spec=field_spec,
        signing_time=signing_time,
    )
    with source.open("rb") as input_stream, destination.open("wb") as output:
        writer = _SignatureOnlyWriter(input_stream)
        original_id = writer.document_id[0]
        # pyHanko draws the second /ID from os.urandom; derive it from the input instead.
        revision_id = hashlib.sha256(
            original_id + field.encode() + iso_time(signing_time).encode()
        ).digest()[:16]
        writer._document_id = generic.ArrayObject(
            [generic.ByteStringObject(original_id), generic.ByteStringObject(revision_id)]
        )
        # A fixed reservation spares pyHanko a trial signature to measure the CMS size.
        pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES_RESERVED, output=output)
    with pikepdf.open(destination) as signed:
        if signed.pdf_version != "1.7":
            raise SigningError(f"signing changed the PDF version to {signed.pdf_version}")


class _KeyOnceSigner(signers.SimpleSigner):
    """pyHanko re-parses (and re-validates) the RSA key for every signature it makes, about
    50 ms each; a sample dossier signs dozens of times with the same few keys."""

    _private_key: RSAPrivateKey | None = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        if self._private_key is None:
            key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            if not isinstance(key, RSAPrivateKey):
                raise SigningError("sample signers use RSA keys")
            self._private_key = key
        return self._private_key.sign(
            data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


@functools.lru_cache(maxsize=32)
def _load_signer(key_pem: str, cert_pem: str, chain: tuple[str, ...]) -> signers.SimpleSigner:
    loaded = signers.SimpleSigner.load(key_pem, cert_pem, ca_chain_files=chain)
    if loaded is None:
        raise SigningError(f"cannot load the key or certificate of {cert_pem}")
    return _KeyOnceSigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
        signature_mechanism=loaded.signature_mechanism,
    )


def _require_pdfa(path: Path) -> None:
    # pikepdf's validator cannot judge signature forms, so the content is checked unsigned.
    report = pikepdf.pdfa.validate_written(path, "2b")
    if not report.passed:
        raise SigningError(f"{path.name} is not PDF/A-2b before signing: {report}")


def _appearance_canvas(box: Box, path: Path) -> Canvas:
    register_reportlab_fonts()
    return Canvas(str(path), pagesize=(box.width, box.height), invariant=1, initialFontName=REGULAR)


_APPEARANCES: dict[tuple[str, float, float], bytes] = {}


def _image_appearance(image: Image.Image, box: Box, path: Path) -> Path:
    # The same signature and seal images recur in every document of an agency: draw them once.
    key = (hashlib.sha256(image.tobytes()).hexdigest(), box.width, box.height)
    if key not in _APPEARANCES:
        canvas = _appearance_canvas(box, path)
        canvas.drawImage(ImageReader(image), 0, 0, width=box.width, height=box.height, mask="auto")
        canvas.showPage()
        canvas.save()
        if len(_APPEARANCES) > 64:
            _APPEARANCES.clear()
        _APPEARANCES[key] = path.read_bytes()
    else:
        path.write_bytes(_APPEARANCES[key])
    return path


def _text_appearance(lines: list[str], box: Box, path: Path) -> Path:
    """Lines of 10 pt black text, right-aligned to the box, from the top down."""
    canvas = _appearance_canvas(box, path)
    canvas.setFont(REGULAR, STAMP_TEXT_SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    y = box.height - STAMP_TEXT_SIZE * 1.2
    for line in lines:
        canvas.drawString(box.width - text_width(line, False, STAMP_TEXT_SIZE) - 2, y, line)
        y -= STAMP_TEXT_SIZE * 1.3
    canvas.showPage()
    canvas.save()
    return path
