"""Finding words of the other language on a page or in an e-mail.

A small word list, not a language model: words that are common in one language and never occur in
the other (English "the", "has", "yes", "True"; Dutch "het", "niet", "geen"), plus the domain's own
words (payroll, password, folder names; administratie, loonstrook). It caught every leak found so far:
the Loket error tail "(Loket client number 40125 has no payroll administration ...)", "no
payroll runs in 2024", Django's password messages, audit values ("validated at", "yes", "True") and
Yuki folders "(tax)"/"(personnel)".

What a page marks as written in another language (an element with its own `lang`, such as stored run
results, which are written in the portal's language) or as not to be translated (`translate="no"`:
names, IDs) is left out, as are names the data gives and vendor terms that have no translation
(Nmbrs' "Client ID", Loket's rights).
"""

from __future__ import annotations

import re

import lxml.html

ENGLISH_WORDS = frozenset("""
the and with has have had this that these those your you yes true false none not no for from are were been
which would should could there their at to on by an or into than then when where who whose what while
payroll password administration administrations number folder tax personnel validated failed booked
run runs error short common similar entirely numeric characters must contain least
""".split())

DUTCH_WORDS = frozenset("""
de het een van niet voor zijn wordt worden geen naar ook bij nog deze dit je uw ja nee wat kan moet
op te en als om er nu al dus maar hier waar welke wanneer hoe
administratie administraties loonheffingennummer opgeslagen mislukt geboekt bewaren instellingen
gebruiker gebruikers wachtwoord loonstrook loonstroken loonaangifte journaalpost wachtrij bezig afgerond
""".split())

# Terms the vendors use in their own screens, quoted so a person finds them there.
VENDOR_TERMS = (
    "Client ID", "Client Secret", "Tenant Key", "User templates", "Webservices Right Edit", "Company services",
    "Employee services", "Debtor services", "Raadplegen dienstverbanden", "940 journaliseren",
    "Exporteren journaalrun", "Raadplegen loonaangifte", "Raadplegen loonoutput", "Relatiecode",
    "loonheffingennummer",  # the Belastingdienst's and Loket's own word, glossed in the English labels
)

_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
_WORD = re.compile(r"(?<![\w-])[A-Za-zÀ-ÿ]+(?![\w])")  # whole words: not parts of IDs like 7de909e1


def visible_text(html: str, language: str) -> str:
    """The text a person reads or hears on the page, without the parts marked as another language."""
    root = lxml.html.fromstring(html)
    for element in root.xpath("//script|//style|//template|//noscript"):
        element.drop_tree()
    for element in root.xpath("//*[@lang]|//*[@translate='no']"):
        other_language = element.get("lang") and not element.get("lang", "").lower().startswith(language)
        if element.tag != "html" and (other_language or element.get("translate") == "no"):
            element.drop_tree()
    parts = [root.text_content()]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        parts.extend(element.get(name, "") for name in _ATTRIBUTES)
        if element.tag in ("input", "button") and element.get("type") in ("submit", "button", "reset"):
            parts.append(element.get("value", ""))
        if element.tag == "title":
            parts.append(element.text_content())
    return "\n".join(parts)


def foreign_words(text: str, language: str, names=()) -> list[str]:
    """Words of the other language in `text`, shown with a little context to find them."""
    text = re.sub(r"https?://\S+", " ", text)  # addresses are not words
    for term in sorted([*VENDOR_TERMS, *(n for n in names if n)], key=len, reverse=True):
        text = text.replace(term, " ")
    suspects = ENGLISH_WORDS if language == "nl" else DUTCH_WORDS
    found = []
    for match in _WORD.finditer(text):
        if match.group().lower() in suspects:
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"{match.group()!r} in …{' '.join(text[start:end].split())}…")
    return found


# The formal "u"/"uw": Dutch here speaks to a person as "je", as Yuki's own help does.
_FORMAL = re.compile(r"(?<![\w-])(u|uw|uzelf)(?![\w-])", re.IGNORECASE)


def formal_address(text: str, names=()) -> list[str]:
    """Each "u"/"uw" in Dutch `text` (a page's visible text or an e-mail), with a little context."""
    text = re.sub(r"https?://\S+", " ", text)
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, " ")
    return [f"{match.group()!r} in …{' '.join(text[max(0, match.start() - 40):match.end() + 40].split())}…"
            for match in _FORMAL.finditer(text)]

