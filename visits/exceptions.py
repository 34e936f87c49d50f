class VisitError(Exception):
    """A visit that cannot be recorded as given; the message is shown to the coordinator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
