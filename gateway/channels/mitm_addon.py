"""The script `mitmdump -s` loads: nothing but the addon list.

Kept this small on purpose: anything defined in a `-s` script lives in a
module mitmproxy invents (`__mitmproxy_script__...`), which worker processes
cannot import, so every function the process pool runs stays in the package.

mitmproxy puts the script's folder on `sys.path` and leaves it there. That
folder is inside the `gateway.channels` package, whose `http` module would then
shadow the standard library's `http` in the worker processes (which inherit
`sys.path`), so it is taken off again.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

from gateway.channels.http import DlpHttp  # noqa: E402 - after the sys.path repair above

addons = [DlpHttp()]
