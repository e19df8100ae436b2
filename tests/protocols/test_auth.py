"""The vehicle's command check: authentic first, then fresh by its own clock."""

from __future__ import annotations

from protocols import Command, now_us
from protocols.auth import CommandSigner, CommandVerifier, compute_mac, development_key

KEY = development_key()


def signed_at(ctr: int) -> Command:
    args = {"percent": 70}
    mac = compute_mac(KEY.secret, "ema-01", "set_charge_limit", "r", ctr, args)
    return Command("set_charge_limit", "r", args, 0, 0, ctr, mac)


def test_a_fresh_command_is_taken_once() -> None:
    verifier = CommandVerifier(KEY, "ema-01")
    command = CommandSigner(KEY, "ema-01").sign(Command("set_charge_limit", "r", {"percent": 70}))
    assert verifier.authentic(command) and verifier.fresh(command)
    verifier.commit(command)
    assert verifier.authentic(command) and not verifier.fresh(command)


def test_a_command_held_back_longer_than_the_window_is_refused_even_with_nothing_newer() -> None:
    """Lost with a broker and published again after a reconnect, it must not take effect late:
    before, the window counted only from the newest command seen."""
    verifier = CommandVerifier(KEY, "ema-01", window_us=2_000_000)
    held_back, recent = signed_at(now_us() - 3_000_000), signed_at(now_us() - 1_000_000)
    assert verifier.authentic(held_back) and not verifier.fresh(held_back)
    assert verifier.authentic(recent) and verifier.fresh(recent)


def test_forged_is_unauthorised_whatever_its_age() -> None:
    verifier = CommandVerifier(KEY, "ema-01")
    forged = Command("set_charge_limit", "r", {"percent": 70}, 0, 0, now_us(), b"\0" * 16)
    assert not verifier.authentic(forged)
