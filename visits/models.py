"""Spot checks and mystery visits: the partner's checklist, and each visit with its answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from certificates.models import Venue
from cms.models import Partner
from cms.sanitise import clean_text

NOTES_MAX_LENGTH = 2000

DEFAULT_QUESTIONS = [
    "Staff knew what a Safe Haven is",
    "Safe Haven sticker visible from outside",
    "Offered a seat and somewhere calm",
    "Offered to call someone or use the phone",
    "Knew to call 999 in an emergency and 101 otherwise",
]


class VisitQuestion(models.Model):
    """One yes/no question of a partner's checklist. "Yes" is the answer a Safe Haven should earn."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visit_questions")
    text = models.CharField("question", max_length=200, help_text="A yes/no question; yes is the good answer.")
    sort_order = models.PositiveSmallIntegerField(
        "position", default=0, help_text="Questions are asked in this order, lowest first."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop asking it. Past visits keep their answers.")

    class Meta:
        ordering = ["partner", "sort_order", "pk"]
        verbose_name = "checklist question"

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = " ".join(clean_text(self.text).split())
        super().save(*args, **kwargs)


class Visit(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCED = "announced", "Announced visit"
        MYSTERY = "mystery", "Mystery visit"
        PHONE = "phone", "Phone check"

    class Outcome(models.TextChoices):
        PASS = "pass", "Pass"
        ADVICE = "advice", "Advice given"
        FAIL = "fail", "Fail"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visits")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("date of the visit", db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    visited_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_by_name = models.CharField(
        "visited by", max_length=150, blank=True, help_text="Who visited if not a staff user, e.g. Kent Police."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH, help_text="Staff only; never sent to the venue.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["venue", "-visited_on"], name="visit_venue_latest")]

    def __str__(self):
        return f"{self.venue.name}, {self.visited_on.day} {self.visited_on:%B %Y}"

    @property
    def visitor(self) -> str:
        if self.visited_by_name:
            return self.visited_by_name
        user = self.visited_by_user
        return (user.get_full_name() or user.get_username()) if user else "Not recorded"


class VisitAnswer(models.Model):
    """One answer; the question's words are copied so a later edit of the checklist changes no past visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(VisitQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question_text = models.CharField(max_length=200)
    answer = models.BooleanField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.question_text}: {'Yes' if self.answer else 'No'}"
