"""An offline challenge for pages anyone can reach (the public credit lookup): a small sum
drawn by the server with Pillow, answered once, within minutes.

No third-party service (the portal runs on closed court intranets) and no storage when a
challenge is shown: the form carries a signed token (django.core.signing, so it cannot be
forged or altered and expires) holding a random nonce and an HMAC of the answer, never the
answer itself. Storage happens only when an answer is checked: the nonce is claimed in the
shared cache with an atomic add (Redis SET NX), so a token is good for one attempt, right
or wrong; a replayed or brute-forced token is refused. A page flood therefore writes
nothing, unlike a challenge table with a row per rendered form.

The picture is a data: URI in the page (the CSP allows data: images), so there is no image
URL to fetch separately and the token never appears in a URL or a log line.

This raises the cost of scraping; it does not stop a determined reader of images. The
per-address rate limits (common.throttling) and the lookup's exact-identity rule (no
name-only search) do the rest.
"""

from __future__ import annotations

import base64
import enum
import hmac
import io
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

SALT = "fengqiao.challenge.v1"
_USED_PREFIX = "challenge:used:"


def lifetime() -> int:
    """Seconds a challenge stays answerable (settings.PUBLIC_CHALLENGE_TTL, default 300)."""
    return int(getattr(settings, "PUBLIC_CHALLENGE_TTL", 300))


class Outcome(enum.Enum):
    PASSED = "passed"
    MISSING = "missing"  # no token or no answer
    FORGED = "forged"  # signature wrong, or a token for another page
    EXPIRED = "expired"
    REPLAYED = "replayed"  # this token was answered before
    WRONG = "wrong"
    UNAVAILABLE = "unavailable"  # the cache could not record the use: refuse (fail closed)

    @property
    def message(self):
        return {
            Outcome.PASSED: "",
            Outcome.MISSING: _("请填写验证码。"),
            Outcome.FORGED: _("验证码无效，请刷新后重试。"),
            Outcome.EXPIRED: _("验证码已过期，请重新输入新的验证码。"),
            Outcome.REPLAYED: _("验证码已使用过，请重新输入新的验证码。"),
            Outcome.WRONG: _("验证码计算结果不正确，请重新输入新的验证码。"),
            Outcome.UNAVAILABLE: _("验证服务暂不可用，请稍后再试。"),
        }[self]


@dataclass(frozen=True)
class Challenge:
    token: str
    image_data_uri: str
    # kept for tests and the bench only; never rendered
    answer: int

    def __repr__(self) -> str:
        return "Challenge(…)"


def _digest(purpose: str, nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{purpose}:{nonce}:{answer}", algorithm="sha256").hexdigest()[:32]


def _draw_question() -> tuple[str, int]:
    rng = secrets.SystemRandom()
    kind = rng.choice("+-×")
    if kind == "+":
        a, b = rng.randint(2, 49), rng.randint(2, 49)
        return f"{a} + {b} = ?", a + b
    if kind == "-":
        a = rng.randint(11, 60)
        b = rng.randint(1, a - 1)
        return f"{a} - {b} = ?", a - b
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    return f"{a} × {b} = ?", a * b


@lru_cache(maxsize=1)
def _font():
    from PIL import ImageFont

    # Pillow's own embedded font: no system font needed on a bare server.
    return ImageFont.load_default(size=30)


def _render(text: str) -> bytes:
    from PIL import Image, ImageDraw

    rng = secrets.SystemRandom()
    width, height = 190, 56
    image = Image.new("RGB", (width, height), (246, 246, 242))
    draw = ImageDraw.Draw(image)
    for _line in range(5):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)) for _point in range(2)],
            fill=tuple(rng.randint(120, 200) for _c in range(3)),
            width=1,
        )
    x = 8
    for char in text:
        if char == " ":
            x += 6
            continue
        glyph = Image.new("RGBA", (34, 44), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (4, 2), char, font=_font(), fill=tuple(rng.randint(10, 90) for _c in range(3))
        )
        glyph = glyph.rotate(rng.uniform(-22, 22), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (x, rng.randint(2, 12)), glyph)
        x += int(_font().getlength(char)) + rng.randint(1, 4)
    for _dot in range(160):
        draw.point(
            (rng.randint(0, width - 1), rng.randint(0, height - 1)),
            fill=tuple(rng.randint(60, 220) for _c in range(3)),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def challenge_issue(*, purpose: str) -> Challenge:
    """A new challenge for one form (`purpose` names the page: a token for one page is
    refused on another). Nothing is stored."""
    question, answer = _draw_question()
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps(
        {"p": purpose, "n": nonce, "d": _digest(purpose, nonce, answer)}, salt=SALT
    )
    image = base64.b64encode(_render(question)).decode("ascii")
    return Challenge(token=token, image_data_uri=f"data:image/png;base64,{image}", answer=answer)


def _parse_answer(text: str) -> int | None:
    # NFKC: full-width digits from a Chinese input method (１２) count as 12.
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned or len(cleaned) > 4 or not cleaned.lstrip("-").isdigit():
        return None
    return int(cleaned)


def challenge_verify(*, purpose: str, token: str, answer: str) -> Outcome:
    """Check one answer. The token is spent by this call whatever the answer was."""
    if not token or not (answer or "").strip():
        return Outcome.MISSING
    try:
        data = signing.loads(token, salt=SALT, max_age=lifetime())
    except signing.SignatureExpired:
        return Outcome.EXPIRED
    except signing.BadSignature:
        return Outcome.FORGED
    if not isinstance(data, dict) or data.get("p") != purpose or not data.get("n"):
        return Outcome.FORGED
    try:
        first_use = cache.add(f"{_USED_PREFIX}{data['n']}", 1, timeout=lifetime() + 60)
    except Exception:  # noqa: BLE001 - a cache outage must refuse, not let everyone through
        return Outcome.UNAVAILABLE
    if not first_use:
        return Outcome.REPLAYED
    value = _parse_answer(answer)
    if value is None or not hmac.compare_digest(
        _digest(purpose, data["n"], value), str(data.get("d", ""))
    ):
        return Outcome.WRONG
    return Outcome.PASSED


class ChallengeForm(forms.Form):
    """A form that needs a solved challenge: subclass, set `challenge_purpose`, render
    `components/challenge.html` with the form's `challenge`. Every bound submission spends
    its token, and a fresh challenge is drawn for the re-rendered form."""

    challenge_purpose = "public"

    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.CharField(
        label=_("验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        ),
        help_text=_("请输入图中算式的结果。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_outcome: Outcome | None = None
        self.challenge = challenge_issue(purpose=self.challenge_purpose)

    def clean(self):
        cleaned = super().clean()
        self.challenge_outcome = challenge_verify(
            purpose=self.challenge_purpose,
            token=self.data.get("challenge_token", ""),
            answer=self.data.get("challenge_answer", ""),
        )
        if self.challenge_outcome is not Outcome.PASSED:
            self.add_error("challenge_answer", self.challenge_outcome.message)
        return cleaned
