"""The regex/checksum baseline tuner."""

from __future__ import annotations

import pytest

from piikit.data.schema import Row
from piikit.errors import PiikitError
from piikit.tuners.rules import RulesConfig, RulesTuner, find_spans, iban_ok, luhn_ok


def test_checksums():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and iban_ok("DE89370400440532013000")
    assert not iban_ok("GB82 WEST 1234 5698 7654 33")


@pytest.mark.parametrize(
    "text, label, value",
    [
        ("mail orla.q@example.org now", "EMAIL", "orla.q@example.org"),
        ("see https://example.org/a?b=1.", "URL", "https://example.org/a?b=1"),
        ("IBAN GB82 WEST 1234 5698 7654 32, ok", "IBAN", "GB82 WEST 1234 5698 7654 32"),
        ("card 4111-1111-1111-1111 ok", "CREDITCARDNUMBER", "4111-1111-1111-1111"),
        ("from 10.0.0.255 on", "IPV4", "10.0.0.255"),
        ("from fe80::1ff:fe23:4567:890a on", "IPV6", "fe80::1ff:fe23:4567:890a"),
        ("mac 00:1A:2B:3C:4D:5E.", "MAC", "00:1A:2B:3C:4D:5E"),
        ("call +44 20 7946 0958 today", "PHONENUMBER", "+44 20 7946 0958"),
        ("born 3 March 2021.", "DATE", "3 March 2021"),
        ("on 2024-02-29 at", "DATE", "2024-02-29"),
        ("at 14:05 sharp", "TIME", "14:05"),
        ("ssn 078-05-1120.", "SSN", "078-05-1120"),
        ("wallet 0x52908400098527886E0F7030069857D2E4169EE7 here", "ETHEREUMADDRESS", "0x52908400098527886E0F7030069857D2E4169EE7"),
    ],
)
def test_finds_shaped_pii(text, label, value):
    assert [(s.label, s.value) for s in find_spans(text)] == [(label, value)]


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails Luhn",
    "IBAN GB82 WEST 1234 5698 7654 33 fails mod-97",
    "version 1.2.3 and 42 apples in 2020",
    "999.1.1.1 is no address",
])
def test_rejects_lookalikes(text):
    assert find_spans(text) == []


def test_tuner_masks_and_restricts_labels():
    row = Row("1", "Mail orla.q@example.org at 14:05.")
    (p,) = RulesTuner(RulesConfig()).predict([row])
    assert p.prediction == "Mail [EMAIL] at [TIME]." and [s.label for s in p.spans] == ["EMAIL", "TIME"]
    (p,) = RulesTuner(RulesConfig(labels=["TIME"])).predict([row])
    assert p.prediction == "Mail orla.q@example.org at [TIME]."
    with pytest.raises(PiikitError) as e:
        RulesConfig(labels=["EMIAL"])
    assert "did you mean 'EMAIL'" in e.value.one_line()


def test_selectable_as_tuner(compose):
    cfg = compose(["tuner=rules", "tuner.labels=[IBAN]"])
    assert cfg.tuner.name == "rules" and cfg.tuner.labels == ["IBAN"]
