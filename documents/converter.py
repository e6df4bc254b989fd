"""PDF from a filled .docx by LibreOffice headless (Debian's libreoffice-writer-nogui).

Why LibreOffice: it reads .docx faithfully (the same file the clerk may open in Word or WPS),
embeds the fonts it lays out with (Noto Serif CJK from fonts-noto-cjk), runs without a
display and is a Debian package, so `make` and the Dockerfile install it like chromium.

Each call runs in its own temporary directory with its own user profile
(`-env:UserInstallation`): concurrent conversions (web workers, Celery) never share or lock
one profile, and nothing is left behind. The whole process group is killed on timeout.
"""

import os
import shutil
import signal
import subprocess  # noqa: S404 - a fixed argument list, no shell
import tempfile
from pathlib import Path

from django.conf import settings


class ConversionError(Exception):
    """The PDF could not be made (converter missing, failed or too slow)."""


def soffice_path() -> str | None:
    configured = getattr(settings, "DOCUMENTS_SOFFICE", "")
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: float | None = None) -> bytes:
    soffice = soffice_path()
    if not soffice:
        raise ConversionError(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui "
            "fonts-noto-cjk (make test / make run do it when root)"
        )
    timeout = timeout or getattr(settings, "DOCUMENTS_CONVERT_TIMEOUT", 60)
    with tempfile.TemporaryDirectory(prefix="fq-documents-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = work / "profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        environment = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        process = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=work,
            start_new_session=True,  # its own process group: a timeout kills soffice.bin too
        )
        try:
            _out, error = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(f"LibreOffice took longer than {timeout}s") from exc
        result = work / "document.pdf"
        if process.returncode != 0 or not result.exists():
            raise ConversionError(
                f"LibreOffice failed ({process.returncode}): "
                f"{error.decode(errors='replace')[-500:]}"
            )
        return result.read_bytes()
