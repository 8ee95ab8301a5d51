"""Recognizers for UK police, criminal-justice and national identifiers."""
