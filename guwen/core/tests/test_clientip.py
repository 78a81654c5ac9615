import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from guwen.core.clientip import client_ip

PROXY = "10.0.0.5"


def request(remote: str | None = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote} if remote is not None else {}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    made = RequestFactory().get("/", **extra)
    if remote is None:
        made.META.pop("REMOTE_ADDR", None)
    return made


@pytest.fixture
def behind_proxy(settings):
    settings.GUWEN_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.GUWEN_TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_request_from_a_trusted_proxy_names_the_hop_it_saw(behind_proxy):
    assert client_ip(request(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_what_the_client_wrote_into_the_header_is_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the address it really saw.
    assert client_ip(request(PROXY, "1.1.1.1, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_proxy):
    assert client_ip(request(PROXY, "198.51.100.1, 10.1.2.3, 10.9.9.9")) == "198.51.100.1"


def test_a_request_from_elsewhere_is_not_believed(behind_proxy):
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_garbled_hop_stops_the_walk_at_the_last_proxy_we_trust(behind_proxy):
    assert client_ip(request(PROXY, "198.51.100.1, not-an-address, 10.1.2.3")) == "10.1.2.3"
    assert client_ip(request(PROXY, "")) == PROXY


def test_ports_brackets_and_mapped_addresses(behind_proxy):
    assert client_ip(request(PROXY, "198.51.100.1:5555")) == "198.51.100.1"
    assert client_ip(request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(request("::ffff:10.0.0.5", "198.51.100.1")) == "198.51.100.1"


def test_no_usable_peer_address():
    assert client_ip(request(None)) is None
    assert client_ip(request("garbage")) is None
    assert client_ip(object()) is None


def test_a_bad_proxy_setting_is_refused(settings):
    settings.GUWEN_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.example"):
        client_ip(request())


public_v4 = st.ip_addresses(v=4).filter(lambda address: address not in ipaddress.ip_network("10.0.0.0/8"))


@given(spoofed=st.text(max_size=80), real=public_v4)
def test_whatever_the_client_writes_the_address_our_proxy_saw_wins(spoofed, real):
    header = f"{spoofed}, {real}" if spoofed else str(real)
    with override_settings(GUWEN_TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(request(PROXY, header)) == str(real)
