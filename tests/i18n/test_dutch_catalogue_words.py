"""The Dutch catalogue speaks to a person as "je", as Yuki's own help does, never "u"/"uw"; it holds no
English words, apart from the vendors' names and the terms their own Dutch screens use; and it says one
thing one way: "het portaal", "salarisstrook", "ten minste"."""

from __future__ import annotations

import re

from tests.test_i18n import entries

# Names and the vendors' own terms, kept as they are.
ALLOWED = ("Loket", "Yuki", "Nmbrs", "Client ID", "Client Secret", "Tenant Key", "feature")
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
# English words that are no Dutch words (so "of", "was", "document", "status", "test" may stay).
ENGLISH = {
    "the", "and", "with", "please", "click", "your", "you", "this", "that", "from", "which", "have", "has",
    "will", "would", "should", "could", "been", "are", "were", "payslip", "payslips", "settings", "failed",
    "booked", "connected", "locked", "unlocked", "ok", "error", "warning", "yes", "not", "for", "to", "it",
    "or", "an", "on", "at", "by", "if", "then", "when", "what", "who", "why", "how", "all", "only", "also",
    "again", "now", "today", "here", "there", "next", "back", "page", "file", "files", "folder", "documents",
    "check", "checks", "connect", "save", "saved", "cancel", "delete", "remove", "new", "add", "more", "first",
    "last", "month", "year", "day", "hour", "calls", "queued", "running", "succeeded", "skipped", "waiting",
    "dry", "run", "runs", "login", "no", "client", "secret", "tenant", "key", "token", "journal", "entry",
}
# Not prose: placeholders, markup, addresses, command-line options, settings and their values, identifiers.
NOT_PROSE = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|https?://\S+|`[^`]*`|--[\w-]+|"
                       r"\b\w+=\w+|\b\w*_\w*\b|\b[A-Z]{2,}\b")


def prose(text: str) -> str:
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    return NOT_PROSE.sub(" ", text)


def standalone_words(text: str) -> list[str]:
    """Words that are not part of a Dutch compound ("API-token", "client-ID" are Dutch compounds)."""
    return [word for word in re.findall(r"[\w-]+", text) if "-" not in word]


def dutch_texts():
    for msgid, translations, _flags in entries():
        for text in translations:
            yield msgid, text


def test_the_dutch_texts_say_je_not_u():
    formal = [text for _msgid, text in dutch_texts() if FORMAL.search(prose(text))]
    assert not formal, "u/uw in Dutch:\n" + "\n".join(formal)


def test_the_dutch_texts_hold_no_english_words():
    english = [(sorted({w for w in standalone_words(prose(text)) if w.lower() in ENGLISH}), text)
               for _msgid, text in dutch_texts()]
    english = [item for item in english if item[0]]
    assert not english, "English in Dutch:\n" + "\n".join(f"{words}: {text}" for words, text in english)


# One word for one thing (the kind's own label is "Salarisstrook").
ONE_WAY = {r"\w\((en|s)\)": "a plural by ngettext, not '(en)'", r"\b(de|die|deze) portal\b|\bportal\b": "het portaal", r"[Ll]oonstro": "salarisstrook",
           r"[Tt]enminste": "ten minste", r"\bde portaal\b": "het portaal"}


def test_the_dutch_texts_say_one_thing_one_way():
    other = [(wanted, text) for _msgid, text in dutch_texts() for pattern, wanted in ONE_WAY.items()
             if re.search(pattern, prose(text))]
    assert not other, "\n".join(f"say {wanted!r}: {text}" for wanted, text in other)
