"""The optional PAdES signature of the PDF scorecard, checked with a throw-away certificate:
valid and trusted against that certificate, broken by a changed byte, absent when signing is
not configured, and refused when only half of it is configured."""

from __future__ import annotations

import datetime
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from assessments.reports import pdf
from assessments.reports.signing import SigningNotConfigured, run_outside_event_loop, sign_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tmp_path, settings):
    """A self-signed signing certificate, written as PEM files the settings name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Scorecard test signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"correct horse"),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.REPORT_SIGNING_KEY = str(key_path)
    settings.REPORT_SIGNING_CERT = str(cert_path)
    settings.REPORT_SIGNING_KEY_PASSPHRASE = "correct horse"
    return cert_path


def signatures(content: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(content)).embedded_signatures


def validate(content: bytes, cert_path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    (signature,) = signatures(content)
    # Like signing, validation runs pyHanko's own event loop (see run_outside_event_loop).
    return signature, run_outside_event_loop(validate_pdf_signature, signature, context)


def test_a_configured_certificate_signs_the_scorecard_with_pades(finalised, certificate):
    content = pdf.render_assessment_pdf(finalised)
    signature, status = validate(content, certificate)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert signature.field_name == "Scorecard"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.signing_cert.subject.human_friendly == "Common Name: Scorecard test signer"
    # The signature covers the whole typeset document.
    assert status.coverage.name == "ENTIRE_FILE"


def test_signing_also_works_in_a_thread_that_runs_an_event_loop(finalised, certificate):
    # pyHanko's synchronous API starts a loop of its own; where one already runs (a process
    # driving a browser through Playwright) that used to fail with "asyncio.run() cannot be
    # called from a running event loop".
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.test import override_settings

    with override_settings(REPORT_SIGNING_KEY="", REPORT_SIGNING_CERT=""):
        unsigned = pdf.render_assessment_pdf(finalised)
    assert signatures(unsigned) == []

    async def inside_a_loop():
        return sign_pdf(unsigned)

    # A thread of its own, so that the loop this test starts is the only one running there
    # (the test process may have Playwright's loop running in its main thread already).
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(asyncio.run, inside_a_loop()).result()
    assert signed.startswith(unsigned)  # an incremental update: the typeset bytes stay
    _, status = validate(signed, certificate)
    assert status.intact and status.valid


def test_a_changed_byte_breaks_the_signature(finalised, certificate):
    content = pdf.render_assessment_pdf(finalised)
    # Change one digit of the score printed in the document's description metadata.
    start = content.index(b"overall ") + len(b"overall ")
    digit = content[start : start + 1]
    assert digit.isdigit()
    tampered = content[:start] + (b"1" if digit != b"1" else b"2") + content[start + 1 :]
    _, status = validate(tampered, certificate)
    assert not status.intact  # the document's digest no longer matches the signed one
    assert not status.bottom_line


def test_without_a_certificate_the_pdf_is_not_signed(finalised, settings):
    settings.REPORT_SIGNING_KEY = ""
    settings.REPORT_SIGNING_CERT = ""
    content = pdf.render_assessment_pdf(finalised)
    assert signatures(content) == []
    assert b"/ETSI.CAdES.detached" not in content


@pytest.mark.parametrize("missing", ["REPORT_SIGNING_KEY", "REPORT_SIGNING_CERT"])
def test_half_a_signing_configuration_is_refused_with_a_message(certificate, settings, missing):
    setattr(settings, missing, "")
    with pytest.raises(SigningNotConfigured, match="must be set together"):
        sign_pdf(b"%PDF-1.7 not reached")
