"""Evidence: checking uploaded files by their content, storing them, links, deletion.

Files are judged by what they contain, never by the name or content type the browser sent:
the bytes are sniffed (puremagic for binary formats, a strict UTF-8 decode for text) and the
file name's extension must agree with what was found. Anything that could run or render
script in a browser (executables, HTML, SVG, XML) and any archive other than a Word or Excel
document is refused. Files are stored under an unguessable name below MEDIA_ROOT and only ever
leave through the access-checked download view, as attachments.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assessments import audit
from assessments.models import Assessment, Evidence, EvidenceKind, User
from assessments.services.guards import lock_assessment, require_editable
from scorecard.models import Question

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Kind of content -> (content type sent on download, extensions a file of that kind may have).
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("application/pdf", frozenset({".pdf"})),
    "png": ("image/png", frozenset({".png"})),
    "jpeg": ("image/jpeg", frozenset({".jpg", ".jpeg"})),
    "docx": (DOCX, frozenset({".docx"})),
    "xlsx": (XLSX, frozenset({".xlsx"})),
    "json": ("application/json", frozenset({".json"})),
    "text": ("text/plain; charset=utf-8", frozenset({".txt", ".csv", ".md", ".markdown"})),
}
TEXT_TYPES = {".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8"}
TEXT_TYPES[".markdown"] = TEXT_TYPES[".md"]
ALLOWED_EXTENSIONS = frozenset(ext for _, exts in KINDS.values() for ext in exts)
KIND_NAMES = {
    "pdf": "a PDF document",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "docx": "a Word document",
    "xlsx": "an Excel workbook",
    "json": "JSON",
    "text": "plain text",
}
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary, Java class file
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
)
MARKUP_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".svg", ".xml", ".svgz"})
MARKUP_SIGNS = (b"<script", b"<svg", b"<html", b"<!doctype html", b"<iframe", b"<?xml")


class EvidenceRejected(ValidationError):
    pass


@dataclass(frozen=True)
class Inspected:
    kind: str
    content_type: str
    size: int
    sha256: str


def allowed_summary() -> str:
    return "PDF, PNG, JPEG, plain text, CSV, Markdown, JSON, Word (.docx) or Excel (.xlsx)"


def inspect_file(filename: str, data: bytes) -> Inspected:
    """Decide what a file is from its bytes; raise EvidenceRejected with a clear reason."""
    limit = settings.EVIDENCE_MAX_BYTES
    if not data:
        raise EvidenceRejected("The file is empty.")
    if len(data) > limit:
        raise EvidenceRejected(
            f"The file is {len(data):,} bytes; evidence files may be at most {limit:,} bytes."
        )
    extension = PurePath(filename).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise EvidenceRejected(
            f"Files ending in “{extension or '(no extension)'}” are not accepted. "
            f"Upload {allowed_summary()}."
        )
    kind = _sniff(data)
    if kind == "json" and extension in KINDS["text"][1]:
        kind = "text"  # JSON is text too; a .txt holding JSON is fine
    content_type, extensions = KINDS[kind]
    if extension not in extensions:
        raise EvidenceRejected(
            f"The file name ends in “{extension}” but the file is {KIND_NAMES[kind]}; "
            "rename it or upload the right file."
        )
    if kind == "text":
        content_type = TEXT_TYPES.get(extension, content_type)
    return Inspected(kind, content_type, len(data), hashlib.sha256(data).hexdigest())


def _sniff(data: bytes) -> str:
    if data.startswith(EXECUTABLE_MAGIC):
        raise EvidenceRejected("Programs and scripts are not accepted as evidence.")
    try:
        matches = puremagic.magic_string(data[:8192])
    except puremagic.PureError:
        matches = []
    found = [m.extension.lower() for m in matches]
    names = " ".join(m.name.lower() for m in matches)
    if "executable" in names:
        raise EvidenceRejected("Programs and scripts are not accepted as evidence.")
    if any(ext in MARKUP_EXTENSIONS for ext in found):
        raise EvidenceRejected(
            "HTML, SVG and XML files are not accepted: they can carry scripts. "
            "Save the page as PDF instead."
        )
    if data.startswith(b"%PDF-") and ".pdf" in found:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and ".png" in found:
        return "png"
    if data.startswith(b"\xff\xd8\xff") and {".jpg", ".jpeg"} & set(found):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")):
        raise EvidenceRejected("Archives are not accepted; upload the documents themselves.")
    return _text_kind(data, found, matches)


def _office_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError, OSError):
        raise EvidenceRejected("The file looks like a damaged archive.") from None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
        b"macroenabled" in types.lower()
    ):
        raise EvidenceRejected("Documents with macros are not accepted; save without macros.")
    if types and "word/document.xml" in names:
        return "docx"
    if types and "xl/workbook.xml" in names:
        return "xlsx"
    raise EvidenceRejected(
        "Archives are not accepted (Word .docx and Excel .xlsx documents are); "
        "upload the documents themselves."
    )


def _text_kind(data: bytes, found: list[str], matches) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if matches:
            raise EvidenceRejected(
                f"Files of this type ({matches[0].name}) are not accepted. "
                f"Upload {allowed_summary()}."
            ) from None
        raise EvidenceRejected(
            f"The file is not {allowed_summary()} (text files must be UTF-8)."
        ) from None
    if "\x00" in text:
        raise EvidenceRejected("The file contains binary data; text files must be UTF-8 text.")
    head = text.lstrip()[:4096].lower().encode()
    if head.startswith(b"<") or any(sign in head for sign in MARKUP_SIGNS):
        raise EvidenceRejected(
            "HTML, SVG and XML content is not accepted: it can carry scripts. "
            "Save the page as PDF instead."
        )
    try:
        json.loads(text)
    except ValueError:
        return "text"
    return "json" if text.lstrip().startswith(("{", "[")) else "text"


def _read(upload) -> bytes:
    """Read an upload, refusing to read past the limit."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise EvidenceRejected(
            f"The file is {upload.size:,} bytes; evidence files may be at most {limit:,} bytes."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceRejected(f"Evidence files may be at most {limit:,} bytes.")
    return data


def add_file(
    *,
    assessment: Assessment,
    question: Question,
    user: User,
    upload: UploadedFile,
    description: str = "",
) -> Evidence:
    """Check and store an uploaded file; EvidenceRejected (nothing stored) when refused,
    AssessmentFinalised or AssessmentFrozen when the assessment takes no changes."""
    require_editable(assessment)
    data = _read(upload)
    filename = PurePath(upload.name or "").name[:255]
    found = inspect_file(filename, data)
    evidence = Evidence(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.FILE,
        filename=filename,
        content_type=found.content_type,
        size=found.size,
        sha256=found.sha256,
        description=description,
        uploaded_by=user,
    )
    evidence.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            # Checked again on the locked row: it may have been submitted meanwhile.
            require_editable(lock_assessment(assessment))
            evidence.save()
            _audit("evidence.added", evidence, user)
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def add_link(
    *,
    assessment: Assessment,
    question: Question,
    user: User,
    url: str,
    description: str = "",
) -> Evidence:
    require_editable(lock_assessment(assessment))
    evidence = Evidence.objects.create(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.LINK,
        url=url,
        description=description,
        uploaded_by=user,
    )
    _audit("evidence.added", evidence, user)
    return evidence


def delete(*, evidence: Evidence, user: User) -> None:
    """Delete evidence and, once that is committed, its stored file."""
    with transaction.atomic():
        require_editable(lock_assessment(evidence.assessment))
        name = evidence.file.name if evidence.kind == EvidenceKind.FILE else ""
        storage = evidence.file.storage
        _audit("evidence.deleted", evidence, user)
        evidence.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def record_download(*, evidence: Evidence, user: User) -> None:
    _audit("evidence.download", evidence, user)


def _audit(action: str, evidence: Evidence, user: User) -> None:
    audit.record(
        action,
        actor=user,
        organisation=evidence.assessment.organisation,
        target=evidence,
        summary=f"{evidence} on {evidence.question.ref} of {evidence.assessment.title}",
        data={
            "assessment": str(evidence.assessment_id),
            "question": evidence.question.ref,
            "kind": evidence.kind,
            "filename": evidence.filename,
            "sha256": evidence.sha256,
            "url": evidence.url,
        },
    )
