"""Catalog formats and their storage.

`document` validates the native format (scorecard-catalog/1), `native` reads and writes
files safely, `store` maps documents to rows and back, `oscal` and `cosai` convert other
formats to native documents, `files` is the import/export entry point the commands and
admin pages share, and `bundled` loads the catalogs shipped in fixtures/catalogs/.
"""
