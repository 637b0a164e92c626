"""The full-text part of the search index, each database its own way (docs/decisions/0023-search.md).

SQLite: an FTS5 table over the documents' titles and texts (an "external content" table: it keeps
only the index, and reads the text from search_document), kept in step by triggers, with the
unicode61 tokenizer folding case and accents. PostgreSQL: a generated tsvector column with the
'simple' configuration (no stemming: the texts are Welsh and English) over the same texts, with the
accents of FOLD_FROM folded by translate() as SQLite's tokenizer folds them, and a GIN index.
Nothing happens on another database.
"""

from typing import Any

from django.db import migrations

# A copy of coproduce.search.text.FOLD_FROM and FOLD_TO as they were (a test compares them).
FOLD_FROM = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžſơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿẁẃẅẇẉẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
FOLD_TO = "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzsouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooyabbbcdddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrsssssttttuuuuuvvwwwwwxxyzzzhtwysaaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy"

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, title_cy, body, body_cy,
        content='search_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_document_insert AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, title, title_cy, body, body_cy)
        VALUES (new.id, new.title, new.title_cy, new.body, new.body_cy);
    END""",
    """CREATE TRIGGER search_document_delete AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, title_cy, body, body_cy)
        VALUES ('delete', old.id, old.title, old.title_cy, old.body, old.body_cy);
    END""",
    """CREATE TRIGGER search_document_update
    AFTER UPDATE OF title, title_cy, body, body_cy ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, title_cy, body, body_cy)
        VALUES ('delete', old.id, old.title, old.title_cy, old.body, old.body_cy);
        INSERT INTO search_fts(rowid, title, title_cy, body, body_cy)
        VALUES (new.id, new.title, new.title_cy, new.body, new.body_cy);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_document_update",
    "DROP TRIGGER IF EXISTS search_document_delete",
    "DROP TRIGGER IF EXISTS search_document_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _folded(column: str) -> str:
    return (
        f"to_tsvector('simple'::regconfig, translate(lower({column}), '{FOLD_FROM}', '{FOLD_TO}'))"
    )


POSTGRESQL = [
    "ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    f"setweight({_folded('title')}, 'A') || setweight({_folded('title_cy')}, 'A') || "
    f"setweight({_folded('body')}, 'B') || setweight({_folded('body_cy')}, 'B')"
    ") STORED",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_document")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
            elidable=False,
        )
    ]
