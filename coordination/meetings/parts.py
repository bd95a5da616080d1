"""Parts of the meeting pages that other areas contribute (part 2's projects): each area
registers what its partial needs, and the meeting's views load it before rendering, so that no
template reaches the database and the meetings area imports no other area's views."""

CONTRIBUTORS = []


def contributes(loader):
    """Register loader(meeting, page) -> dict of template variables, page being "live",
    "minutes" or "agenda"."""
    CONTRIBUTORS.append(loader)
    return loader


def contributed(meeting, page):
    """What every contributing area gives this page of this meeting."""
    context = {}
    for loader in CONTRIBUTORS:
        context |= loader(meeting, page)
    return context
