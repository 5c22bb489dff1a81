"""Sentences that end on a name: no second full stop after a name that ends in one ("Bakkerij B.V.")."""


def fill(message, values):
    """`message % values`, where "%(name)s." loses its full stop when the name already ends in one.

    Dutch company names often end in "B.V." or "N.V."; the sentence's own full stop after such a name
    would read "B.V.." (the name's stop ends the sentence as well, as Dutch spelling does it).
    """
    for key, value in values.items():
        if str(value).endswith("."):
            message = message.replace(f"%({key})s.", f"%({key})s")
    return message % values
