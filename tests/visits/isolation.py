"""The visit and checklist question each partner has in the staff isolation matrix
(tests/staff/test_isolation.py), made once per programme."""

import datetime


def visit_objects(programme) -> dict:
    if "visit" not in programme:
        from visits.models import VisitQuestion
        from visits.services import record_visit

        tag = programme["tag"]
        question = VisitQuestion.objects.create(partner=programme["partner"], text=f"{tag} sticker by the till")
        today = datetime.date.today()
        programme["visit_question"] = question
        programme["visit"] = record_visit(
            venue=programme["venue"], visited_on=today, kind="mystery", outcome="pass", answers={question.pk: True},
            notes=f"{tag} visit private note", visited_by_user=None, visited_by_name=f"{tag} Police", actor=None,
            today=today,
        )  # fmt: skip
    return {"visit": programme["visit"], "visit_question": programme["visit_question"]}
