"""An e-mail's own correspondents, named in its greeting and signatures, are not disclosures."""

from email.message import EmailMessage
from pathlib import Path

import pytest

from gateway import content
from gateway.detect import Detector, DetectorConfig
from gateway.detect.correspondents import Correspondents
from gateway.detect.model import Finding

CONFIG = Path(__file__).resolve().parents[3] / "config"


def reply() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sarah Whitfield <sarah.whitfield@hampshire.pnn.police.uk>"
    msg["To"] = "Dave Brown <dave.brown@supplier.co.uk>"
    msg["Subject"] = "Re: course dates"
    msg.set_content(
        "Hi Dave,\n\nThanks, Tuesday works for us.\n\nSarah Whitfield\nTraining Co-ordinator\n"
        "sarah.whitfield@hampshire.pnn.police.uk\n\n"
        "> From: Dave Brown\n> Can you confirm the dates?\n> Dave Brown | Account Manager\n"
        "> dave.brown@supplier.co.uk\n\n"
        "PS the officer in the case, Gary Nolan, asked about the course too.\n"
    )
    return msg.as_bytes()


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(DetectorConfig(config_dir=CONFIG, with_ner=False, edm_dir=None))


def test_correspondents_are_marked_and_not_counted_third_parties_are(detector: Detector) -> None:
    detection = detector.detect(content.read(reply(), "reply.eml"))
    disclosed = {f.text for f in detection.findings if f.where != "correspondent" and f.entity_type == "PERSON"}
    marked = {f.text for f in detection.findings if f.where == "correspondent"}
    assert disclosed == {"Gary Nolan"}
    assert {"Sarah Whitfield", "Dave Brown"} <= marked
    assert "sarah.whitfield@hampshire.pnn.police.uk" in marked
    assert detection.subjects == 1
    assert "EMAIL_ADDRESS" not in detection.entity_types()


def test_names_are_matched_within_the_enclosing_message_only() -> None:
    part = content.read(reply(), "reply.eml")
    corr = Correspondents.of(part)

    def person(text: str, part_name: str) -> Finding:
        return Finding("PERSON", 0.9, part_name, part_name, text)

    assert corr.is_correspondent(person("BROWN, Dave", "reply.eml/body.txt"))
    assert corr.is_correspondent(person("Whitfield", "reply.eml/body.txt"))
    assert not corr.is_correspondent(person("Dave Brown", "other.txt"))
    assert not corr.is_correspondent(person("Sarah Jones", "reply.eml/body.txt"))
