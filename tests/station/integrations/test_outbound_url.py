"""An IPv6 address that carries an IPv4 one is judged by the IPv4 rules.

A probe registered webhooks on ``64:ff9b::a9fe:a9fe`` (NAT64), ``2002:a9fe:a9fe::1`` (6to4)
and ``::a9fe:a9fe`` (IPv4-compatible): each reaches 169.254.169.254, the cloud metadata
service, through a translator or relay, and each was accepted. Here every such form of the
metadata address is refused by name, and, over any IPv4 address, an embedding is refused
whenever the IPv4 address itself would be.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.integrations.outbound_url import OutboundRefused, Target, check_addresses, check_url



@pytest.mark.parametrize(("address", "form"), [
    ("64:ff9b::a9fe:a9fe", "NAT64"),
    ("64:ff9b::169.254.169.254", "NAT64"),
    ("2002:a9fe:a9fe::1", "6to4"),
    ("::a9fe:a9fe", "IPv4-compatible"),
    ("::ffff:0:a9fe:a9fe", "IPv4-translated"),
    # RFC 8215's prefix for a site's own NAT64, in RFC 6052's layout for each prefix length
    ("64:ff9b:1:a9fe:a9:fe00::", "NAT64 /48"),
    ("64:ff9b:1:1a9:fe:a9fe::", "NAT64 /56"),  # prefix 64:ff9b:1:100::/56
    ("64:ff9b:1:344:a9:fea9:fe00::", "NAT64 /64"),  # prefix 64:ff9b:1:344::/64
    ("64:ff9b:1:344::a9fe:a9fe", "NAT64 /96"),
])
def test_the_metadata_service_through_a_translator_is_refused_by_name(address: str, form: str) -> None:
    with pytest.raises(OutboundRefused) as refused:
        check_url(f"https://[{address}]/hooks")
    assert str(refused.value) == (f"The webhook URL is refused: {address} is the link-local address "
                                  f"169.254.169.254 through {form} (where cloud metadata services answer).")


def test_the_metadata_service_mapped_into_ipv6_is_refused_as_itself() -> None:
    with pytest.raises(OutboundRefused, match="is the link-local address 169.254.169.254 "):
        check_url("https://[::ffff:a9fe:a9fe]/hooks")


def test_a_name_that_resolves_to_a_translated_private_address_says_both() -> None:
    with pytest.raises(OutboundRefused) as refused:
        check_url("https://hooks.example/rma", resolver=lambda host, port: ["93.184.216.34", "64:ff9b::a00:5"])
    assert str(refused.value) == (
        "The webhook URL is refused: hooks.example resolves to 64:ff9b::a00:5, that is the private address "
        "10.0.0.5 through NAT64; allow it by name with --allow-private-host hooks.example if it really is "
        "your receiver.")


def test_a_public_receiver_through_nat64_or_6to4_is_accepted() -> None:
    for address in ("64:ff9b::5db8:d822", "2002:5db8:d822::1"):  # 93.184.216.34
        assert check_url(f"https://[{address}]/hooks").host == address


def test_loopback_through_a_translator_is_not_this_machine() -> None:
    assert check_url("http://[::ffff:127.0.0.1]:8080/hooks").port == 8080  # mapped: the machine itself
    with pytest.raises(OutboundRefused, match="private address 127.0.0.1 through 6to4"):
        check_url("https://[2002:7f00:1::]/hooks")


def test_a_site_s_own_nat64_prefix_is_private_until_allowed_by_name() -> None:
    resolver = lambda host, port: ["64:ff9b:1::5db8:d822"]  # noqa: E731
    with pytest.raises(OutboundRefused, match="--allow-private-host hooks.internal"):
        check_url("https://hooks.internal/rma", resolver=resolver)
    assert check_url("https://hooks.internal/rma", "hooks.internal", resolver=resolver).host == "hooks.internal"


# Each form: how it carries an IPv4 address (plain bit arithmetic, as the RFCs draw it).
FORMS = {
    "NAT64 64:ff9b::/96": lambda v4: ipaddress.IPv6Address((0x64FF9B << 96) | int(v4)),
    "6to4": lambda v4: ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | 1),
    "IPv4-compatible": lambda v4: ipaddress.IPv6Address(int(v4)),
    "IPv4-translated": lambda v4: ipaddress.IPv6Address((0xFFFF << 48) | int(v4)),
    "IPv4-mapped": lambda v4: ipaddress.IPv6Address((0xFFFF << 32) | int(v4)),
    "NAT64 64:ff9b:1::/96": lambda v4: ipaddress.IPv6Address((0x64FF9B0001 << 80) | int(v4)),
    "NAT64 64:ff9b:1::/48": lambda v4: ipaddress.IPv6Address(
        (0x64FF9B0001 << 80) | (int(v4) >> 16 << 64) | ((int(v4) & 0xFFFF) << 40)),
}
TRANSLATED = {name for name in FORMS if name != "IPv4-mapped"}


RECEIVER = Target("https", "receiver.example", 443, "/hooks")


def verdict(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allowed: str = "") -> str:
    """Why receiver.example, resolving to ``address``, is refused ("" if it is not)."""
    try:
        check_addresses(RECEIVER, [str(address)], allowed)
    except OutboundRefused as refused:
        return str(refused)
    return ""


@given(v4=st.ip_addresses(v=4), form=st.sampled_from(sorted(FORMS)))
def test_an_embedded_ipv4_address_is_refused_whenever_the_address_itself_is(
        v4: ipaddress.IPv4Address, form: str) -> None:
    carried = FORMS[form](v4)
    refused_itself = bool(verdict(v4)) or (v4.is_loopback and form in TRANSLATED)
    if refused_itself:
        assert verdict(carried), (form, carried, v4)
    if v4.is_link_local or v4.is_multicast:  # refused even for a host allowed by name
        reason = verdict(carried, "receiver.example")
        assert str(v4) in reason and ("link-local" in reason or "not a single host" in reason), (carried, reason)


@given(v4=st.ip_addresses(v=4).filter(lambda a: not verdict(a) and not a.is_loopback),
       form=st.sampled_from(["NAT64 64:ff9b::/96", "6to4", "IPv4-compatible", "IPv4-translated", "IPv4-mapped"]))
def test_a_public_ipv4_address_in_a_global_form_is_accepted(v4: ipaddress.IPv4Address, form: str) -> None:
    carried = FORMS[form](v4)
    assert verdict(carried) == "", (form, carried)
