"""The offline challenge: signed, expiring, one attempt per token, bound to its page."""

import time_machine
from django.core import signing
from django.core.cache import cache

from common.challenge import SALT, ChallengeForm, Outcome, challenge_issue, challenge_verify


def test_a_right_answer_passes_once_and_a_replay_is_refused():
    challenge = challenge_issue(purpose="lookup")
    answer = str(challenge.answer)
    assert (
        challenge_verify(purpose="lookup", token=challenge.token, answer=answer) is Outcome.PASSED
    )
    assert (
        challenge_verify(purpose="lookup", token=challenge.token, answer=answer) is Outcome.REPLAYED
    )


def test_a_wrong_answer_spends_the_token_so_guessing_on_one_picture_fails():
    challenge = challenge_issue(purpose="lookup")
    wrong = str(challenge.answer + 1)
    assert challenge_verify(purpose="lookup", token=challenge.token, answer=wrong) is Outcome.WRONG
    right = str(challenge.answer)
    assert (
        challenge_verify(purpose="lookup", token=challenge.token, answer=right) is Outcome.REPLAYED
    )


def test_the_token_does_not_carry_the_answer():
    challenge = challenge_issue(purpose="lookup")
    payload = signing.loads(challenge.token, salt=SALT)
    assert set(payload) == {"p", "n", "d"}
    assert str(challenge.answer) not in {payload["n"], payload["d"]}


def test_full_width_digits_from_a_chinese_input_method_count():
    challenge = challenge_issue(purpose="lookup")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in str(challenge.answer))
    assert (
        challenge_verify(purpose="lookup", token=challenge.token, answer=f" {full_width} ")
        is Outcome.PASSED
    )


def test_an_expired_token_is_refused(settings):
    settings.PUBLIC_CHALLENGE_TTL = 60
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False) as traveller:
        challenge = challenge_issue(purpose="lookup")
        traveller.shift(61)
        outcome = challenge_verify(
            purpose="lookup", token=challenge.token, answer=str(challenge.answer)
        )
    assert outcome is Outcome.EXPIRED


def test_a_forged_or_foreign_token_is_refused():
    challenge = challenge_issue(purpose="lookup")
    answer = str(challenge.answer)
    assert challenge_verify(purpose="other", token=challenge.token, answer=answer) is Outcome.FORGED
    tampered = challenge.token[:-2] + ("AA" if challenge.token[-2:] != "AA" else "BB")
    assert challenge_verify(purpose="lookup", token=tampered, answer=answer) is Outcome.FORGED
    home_made = signing.dumps({"p": "lookup", "n": "x", "d": "0" * 32}, salt="not-ours")
    assert challenge_verify(purpose="lookup", token=home_made, answer=answer) is Outcome.FORGED
    assert challenge_verify(purpose="lookup", token="", answer=answer) is Outcome.MISSING
    assert challenge_verify(purpose="lookup", token=challenge.token, answer="") is Outcome.MISSING


def test_a_cache_outage_refuses_rather_than_letting_everyone_through(monkeypatch):
    challenge = challenge_issue(purpose="lookup")

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", broken)
    outcome = challenge_verify(
        purpose="lookup", token=challenge.token, answer=str(challenge.answer)
    )
    assert outcome is Outcome.UNAVAILABLE


def test_the_picture_is_a_png_data_uri():
    challenge = challenge_issue(purpose="lookup")
    assert challenge.image_data_uri.startswith("data:image/png;base64,iVBOR")
    assert "answer" not in repr(challenge) and str(challenge.answer) not in repr(challenge)


class _Form(ChallengeForm):
    challenge_purpose = "lookup"


def test_a_form_reports_the_outcome_on_the_answer_field_and_draws_a_new_challenge():
    first = challenge_issue(purpose="lookup")
    form = _Form(data={"challenge_token": first.token, "challenge_answer": str(first.answer + 1)})
    assert not form.is_valid()
    assert form.challenge_outcome is Outcome.WRONG
    assert "challenge_answer" in form.errors
    assert form.challenge.token != first.token
