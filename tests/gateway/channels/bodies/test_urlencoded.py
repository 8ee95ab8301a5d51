"""urlencoded forms: each value an item, untouched pairs byte-exact; what is not really a form is raw."""

from __future__ import annotations

from gateway.channels import bodies as hb
from tests.gateway.channels.bodies.samples import CSV


def test_urlencoded_fields_are_items_and_untouched_pairs_stay_exact():
    raw = b"csrf=abc%2Fdef&comment=Jo+Bloggs+AB123456C%21&blank=&flag"
    body = hb.parse([("content-type", "application/x-www-form-urlencoded; charset=UTF-8")], raw)
    assert [(i.name, i.data) for i in body.items] == [("form:csrf", b"abc/def"),
                                                      ("form:comment", b"Jo Bloggs AB123456C!"),
                                                      ("form:field-names", b"csrf\ncomment\nblank\nflag")]
    assert body.rebuild({}).body == raw
    assert body.rebuild({1: b"Jo Bloggs [REDACTED]"}).body == (
        b"csrf=abc%2Fdef&comment=Jo+Bloggs+%5BREDACTED%5D&blank=&flag")


def test_form_label_on_something_that_is_not_a_form_is_a_raw_body():
    # curl --data-binary @staff.csv sends a CSV labelled as a urlencoded form
    body = hb.parse([("Content-Type", "application/x-www-form-urlencoded")], CSV, "/upload")
    assert body.kind == "raw" and body.items[0].data == CSV
    text = hb.parse([("Content-Type", "application/x-www-form-urlencoded")], b"NI number AB123456C")
    assert text.kind == "raw" and text.items[0].data == b"NI number AB123456C"
