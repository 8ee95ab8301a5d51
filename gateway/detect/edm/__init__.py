"""Exact Data Match: does outgoing content reproduce a record of the force's own registers?

Two registers can be indexed, the staff register (reported as `STAFF_RECORD`)
and the nominal / offender index (`OFFENDER_RECORD`), with
`dlp-gateway edm build --kind staff|offender SOURCE`. The index holds keyed
hashes of normalised values, never the register in clear (`store.py`); columns
are recognised by header (`fields.py`); values are normalised alike on both
sides (`normalise.py`); a match is a record match, never a single common value
(`match.py`).
"""

from gateway.detect.edm.fields import FIELDS, FULL_NAME, classify_header
from gateway.detect.edm.match import EdmIndex
from gateway.detect.edm.store import KINDS, BuildReport, EdmError, build_index

__all__ = ["FIELDS", "FULL_NAME", "KINDS", "BuildReport", "EdmError", "EdmIndex", "build_index", "classify_header"]
