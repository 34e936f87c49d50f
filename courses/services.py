"""Operations on training content: copying modules between partners and scoring knowledge checks."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.log_actions import log

from cms.models import Partner

from .exceptions import ModuleNotAvailable
from .models import CoursePage, Module

MODULE_PERMISSIONS = ["add_module", "change_module", "delete_module", "publish_module", "view_module"]


def grant_module_permissions(*, partner: Partner) -> None:
    """Let a partner's editors and coordinators manage modules (the querysets keep them to their own)."""
    permissions = list(Permission.objects.filter(content_type__app_label="courses", codename__in=MODULE_PERMISSIONS))
    for group in (partner.editors, partner.coordinators):
        if group is not None:
            group.permissions.add(*permissions)


def copy_module_for_partner(*, module: Module, partner: Partner, actor=None) -> Module:
    """Make an editable private copy of a module for `partner` ("copy to customise").

    The copy starts from the module's published content and remembers its origin in
    `copied_from`; later edits to the original do not reach the copy.
    """
    with transaction.atomic():
        source = Module.objects.select_for_update().get(pk=module.pk)
        if source.partner_id != partner.pk and not (source.shared and source.live):
            raise ModuleNotAvailable(f"“{source.title}” is not shared, so it cannot be copied.")
        copy = Module.objects.create(
            partner=partner,
            title=source.title,
            summary=source.summary,
            learning_outcomes=source.learning_outcomes,
            duration_minutes=source.duration_minutes,
            body=source.body.raw_data,
            shared=False,
            copied_from=source,
            live=False,
        )
        log(instance=copy, action="wagtail.create", user=actor)
        copy.save_revision(user=actor).publish(user=actor)
    return copy


@dataclass(frozen=True)
class KnowledgeCheckResult:
    score: int  # percent, rounded down
    passed: bool
    correct: int
    total: int


def score_knowledge_check(*, course: CoursePage, answers: dict) -> KnowledgeCheckResult:
    """Mark a learner's answers against the course's questions.

    `answers` maps question id to the chosen option: its number (1 = first line) or its text.
    Unanswered questions count as wrong. A course with no questions has no check: everyone passes.
    """
    questions = list(course.knowledge_check_questions.all())
    if not questions:
        return KnowledgeCheckResult(score=100, passed=True, correct=0, total=0)
    answers = {str(key): value for key, value in answers.items()}
    correct = 0
    for question in questions:
        chosen = answers.get(str(question.pk))
        if chosen is None:
            continue
        if isinstance(chosen, str) and not chosen.strip().isdigit():
            is_right = chosen.strip() == question.correct_answer
        else:
            is_right = int(chosen) == question.correct_option
        correct += is_right
    score = correct * 100 // len(questions)
    return KnowledgeCheckResult(score=score, passed=score >= course.pass_mark, correct=correct, total=len(questions))
