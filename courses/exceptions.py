"""Errors an editor or a package can cause; views and commands turn them into messages."""


class ModuleNotAvailable(Exception):
    """The module is another partner's private module, or a shared one not yet published."""


class CoursePackageError(Exception):
    """A course package was refused: the message says why, in words an editor understands."""
