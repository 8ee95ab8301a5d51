"""The ordered registry of format handlers.

`sniff.identify` asks each handler in turn whether it recognises the bytes and
takes the first that does, so order encodes precedence:

1. formats with unambiguous magic bytes whose container is shared with a more
   general format: office documents are ZIP (OOXML, ODF) or OLE (xls, doc,
   password-protected OOXML) files, so they must come before `zip` and before
   `binary.UNSUPPORTED`, which reports unclaimed OLE files;
2. the other binary formats, by magic bytes;
3. text formats, most specific first (an e-mail or an HTML page is also "text",
   a CSV file is also plain text), with plain text last as the fallback.

Each handler's `kind` must be unique: `content.write` finds the writer for a
part by the kind of the handler that read it.
"""

from __future__ import annotations

from gateway.content.formats import (
    binary,
    delimited,
    docx,
    eml,
    gzip,
    html,
    json_,
    ods,
    ole,
    pdf,
    pptx,
    tar,
    text,
    xls,
    xlsx,
    xml,
    zip,
)
from gateway.content.formats.base import FormatHandler

HANDLERS: list[FormatHandler] = [
    # Office documents: ZIP-based ones before zip.HANDLER, OLE-based ones (xls
    # before the general ole handler) before binary.UNSUPPORTED.
    xlsx.HANDLER,
    docx.HANDLER,
    pptx.HANDLER,
    ods.HANDLER,
    xls.HANDLER,
    ole.HANDLER,
    pdf.HANDLER,
    zip.HANDLER,
    gzip.HANDLER,
    gzip.BZIP2,
    gzip.XZ,
    gzip.ZSTD,
    tar.HANDLER,
    binary.MEDIA,
    binary.UNSUPPORTED,
    eml.HANDLER,
    html.HANDLER,
    xml.HANDLER,
    json_.HANDLER,
    delimited.HANDLER,
    text.HANDLER,
]
