import pytest
from django.core.exceptions import ValidationError

from courses.models import KnowledgeCheckQuestion
from courses.services import KnowledgeCheckResult, score_knowledge_check
from tests.factories import ModuleFactory

from .conftest import add_course, course_of


def answers_with(course, right: int) -> dict:
    """Right answers for the first `right` questions, wrong ones for the rest."""
    questions = list(course.knowledge_check_questions.all())
    return {q.pk: (q.correct_option if i < right else q.correct_option % len(q.option_list) + 1)
            for i, q in enumerate(questions)}  # fmt: skip


def test_seeded_course_has_a_five_question_check_with_pass_mark_80(barking):
    course = course_of(barking)
    assert course.knowledge_check_questions.count() == 5
    assert course.pass_mark == 80


@pytest.mark.parametrize(("right", "score", "passed"), [(5, 100, True), (4, 80, True), (3, 60, False), (0, 0, False)])
def test_score_against_pass_mark(barking, right, score, passed):
    course = course_of(barking)
    result = score_knowledge_check(course=course, answers=answers_with(course, right))
    assert result == KnowledgeCheckResult(score=score, passed=passed, correct=right, total=5)


def test_answers_by_option_text_and_missing_answers(barking):
    course = course_of(barking)
    first, *rest = course.knowledge_check_questions.all()
    result = score_knowledge_check(course=course, answers={str(first.pk): first.correct_answer})
    assert (result.correct, result.score, result.passed) == (1, 20, False)


def test_course_without_questions_has_no_check(barking):
    course = add_course(barking, [ModuleFactory(partner=barking)], slug="no-check")
    assert score_knowledge_check(course=course, answers={}) == KnowledgeCheckResult(
        score=100, passed=True, correct=0, total=0
    )


def test_question_needs_a_correct_option_that_exists():
    question = KnowledgeCheckQuestion(question="Q?", options="Yes\nNo", correct_option=3)
    with pytest.raises(ValidationError, match="There are only 2 options"):
        question.clean()
    with pytest.raises(ValidationError, match="at least two answer options"):
        KnowledgeCheckQuestion(question="Q?", options="Only one", correct_option=1).clean()
