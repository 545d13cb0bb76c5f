"""A PAdES signature on the PDF scorecard, when a signing certificate is configured.

REPORT_SIGNING_KEY and REPORT_SIGNING_CERT name PEM files (the private key, and the
certificate with any intermediates); REPORT_SIGNING_KEY_PASSPHRASE unlocks an encrypted key.
Without them the PDF is not signed: the verification page (assessments.views.verify) is the
check that needs no configuration. pyHanko is imported on first use, like WeasyPrint.
"""

from __future__ import annotations

import io

from django.conf import settings

FIELD_NAME = "Scorecard"


class SigningNotConfigured(RuntimeError):
    """Only one of the key and the certificate is set."""


def signing_configured() -> bool:
    key, cert = settings.REPORT_SIGNING_KEY, settings.REPORT_SIGNING_CERT
    if bool(key) != bool(cert):
        raise SigningNotConfigured(
            "REPORT_SIGNING_KEY and REPORT_SIGNING_CERT must be set together (PEM files)"
        )
    return bool(key)


def _signer():
    from pyhanko.sign import signers

    passphrase = settings.REPORT_SIGNING_KEY_PASSPHRASE
    signer = signers.SimpleSigner.load(
        settings.REPORT_SIGNING_KEY,
        settings.REPORT_SIGNING_CERT,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:  # pyHanko logs why and returns None
        raise SigningNotConfigured("the signing key or certificate could not be read")
    return signer


def sign_pdf(content: bytes) -> bytes:
    """The PDF with a PAdES baseline signature appended (an incremental update, so the
    signed bytes are exactly the typeset document), or unchanged when signing is off."""
    if not signing_configured():
        return content
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Issued by Scorecard",
    )
    signed = run_outside_event_loop(signers.sign_pdf, writer, metadata, signer=_signer())
    return signed.getvalue()


def run_outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API starts an asyncio loop of its own, which fails in a thread
    that already runs one (a worker thread never does; a test process driving a browser
    through Playwright's sync API does). There, the call runs in a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
