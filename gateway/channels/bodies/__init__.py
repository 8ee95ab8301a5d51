"""HTTP request bodies as inspectable items, and the same bodies rebuilt after redaction.

Pure: takes header pairs and bytes, knows nothing of mitmproxy, runs in the
worker processes (decoding and parsing are CPU work too). Each body shape has
its own small module with `items` (what the pipeline inspects) and `rebuild`
(the body with some items replaced), so the addon never needs to know what a
multipart boundary or a base64 attachment is:

- `raw`: any body of any type, one item.
- `multipart`: each file part and each text field, one item each.
- `urlencoded`: each form field value, one item each.
- `json_attachments`: base64 attachments inside JSON, one item each, plus the
  JSON itself with the attachments blanked out and the addressing left out.

`encoding` undoes `Content-Encoding` (gzip, deflate, br, zstd, in any chain)
with a bound on the decoded size, and applies it again to a rebuilt body.
"""

from gateway.channels.bodies.body import Body, Shape, parse
from gateway.channels.bodies.encoding import content_codings, decode, encode
from gateway.channels.bodies.model import BodyError, BodyTooLarge, Headers, Item, Rebuilt, header, split_params

__all__ = [
    "Body",
    "BodyError",
    "BodyTooLarge",
    "Headers",
    "Item",
    "Rebuilt",
    "Shape",
    "content_codings",
    "decode",
    "encode",
    "header",
    "parse",
    "split_params",
]
