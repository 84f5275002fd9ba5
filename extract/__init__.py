"""Bilingual (Korean + English) extraction of money amounts and the projects they fund."""

__version__ = "0.1.0"
