"""The UI is Dutch by default: every string has a Dutch translation, and the compiled catalog is current."""

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/nl/LC_MESSAGES/django.po"
MO = ROOT / "locale/nl/LC_MESSAGES/django.mo"


def entries():
    """(msgid, [msgstr...], flags) per entry of the .po file (header excluded)."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_every_string_has_a_dutch_translation():
    missing = [msgid for msgid, translations, _ in entries() if not all(translations)]
    fuzzy = [msgid for msgid, _, flags in entries() if "fuzzy" in flags]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy (shown in English): {fuzzy[:10]}"


def test_the_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, translations, _ in entries():
        if "\\" in msgid or len(translations) > 1:
            continue  # escapes and plurals: covered by the check above
        assert catalog.gettext(msgid) == translations[0], f"run the compile step for {msgid!r}"
