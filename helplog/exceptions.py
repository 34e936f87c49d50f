class HelpLogError(Exception):
    """A record the log refuses; the message says why, in words a venue's staff can act on."""


class NotePersonalData(HelpLogError):
    pass
