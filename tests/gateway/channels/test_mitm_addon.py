"""The `-s` script mitmdump loads holds exactly the package's addon."""

from __future__ import annotations

from mitmproxy.test import taddons

from gateway.channels.http import DlpHttp
from gateway.channels.proxy_process import ADDON_SCRIPT


def test_script_exposes_the_addon_from_the_package():
    with taddons.context() as tctx:
        module = tctx.script(str(ADDON_SCRIPT))
    [addon] = module.addons
    assert isinstance(addon, DlpHttp)
    # defined in the package, so worker processes can import what it hands them
    assert type(addon).__module__ == "gateway.channels.http"
