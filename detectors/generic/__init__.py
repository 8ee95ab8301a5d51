"""Recognizers for identifiers that are not UK-specific (phone layouts, e-mail, IBAN, cards, IP)."""
