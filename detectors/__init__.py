"""Pattern recognizers for the gateway (presidio EntityRecognizers, no spaCy needed).

Start at :mod:`detectors.registry`: it builds the set and documents how to call it
and the score conventions.
"""
