"""Errors a member of the public or staff can cause; views turn them into friendly messages."""


class BookingError(Exception):
    message = "Sorry, this booking could not be made."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class SessionCancelled(BookingError):
    message = "This session has been cancelled. Please choose another date."


class BookingClosed(BookingError):
    message = "Booking for this session is closed. Please choose another date."


class BookingNotOpenYet(BookingClosed):
    message = "Booking for this session has not opened yet."


class SessionFull(BookingError):
    message = "This session is full. Please choose another date."


class AlreadyBooked(BookingError):
    message = "You already have a booking for that session."


class NotRebookable(BookingError):
    message = "This booking cannot be moved. Please contact the team."


class BookingCompleted(BookingError):
    message = (
        "You attended this session, so the booking can no longer be cancelled or moved. "
        "To book another course, use the training page."
    )


class CapacityBelowBooked(BookingError):
    message = "Capacity cannot be lower than the number of places already booked."


class PaymentUnavailable(BookingError):
    message = "We could not start the payment. Please try again in a few minutes."


class AttendanceError(BookingError):
    message = "Attendance could not be recorded for this booking."


class NotAttendable(AttendanceError):
    message = "Attendance can only be recorded for a confirmed place on a session that is going ahead."


class AttendanceLocked(AttendanceError):
    message = (
        "This attendee has already completed the course and has a certificate. "
        "To withdraw it, revoke the certificate instead."
    )


class SessionNotStarted(AttendanceError):
    message = "Attendance can only be recorded once the session has started."


class CheckInNotOpen(AttendanceError):
    message = "Check-in opens when the session starts."


class SelfCheckInOff(AttendanceError):
    message = "This session is in person: the trainer records attendance at the venue."


class CheckInClosed(AttendanceError):
    message = "Check-in has closed because the session has ended. Please ask the trainer to mark you as attended."


class WrongCheckInCode(AttendanceError):
    message = "That check-in code is not right. Enter the code your trainer shows during the session."


class KnowledgeCheckUnavailable(AttendanceError):
    message = "You can take the knowledge check once your attendance at the session has been recorded."


class WalkInTooEarly(BookingError):
    message = "Walk-ins can be added from the day of the session. Before then, use Book someone."
