"""The catalogs of the counter's languages (workbench/words/language.py speaks them; update.py keeps them)."""
