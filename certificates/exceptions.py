"""Errors staff can cause in the certificate and venue services; views show them as messages."""


class CertificateError(Exception):
    """Base class: the message is shown to the user as it is."""


class AlreadyRevoked(CertificateError):
    pass


class CannotMergeVenue(CertificateError):
    pass
