"""Hypothesis against the course-package importer: any file is either imported or refused with a
CoursePackageError, never a crash, and a refused file leaves no rows behind."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.images import get_image_model
from wagtail.models import Page

from courses.exceptions import CoursePackageError
from courses.models import CoursePage, Module
from courses.packages import dump_package, export_course_package, import_course_package

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _counts():
    return Page.objects.count(), Module.objects.count(), get_image_model().objects.count()


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaf_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaf_paths(child, (*path, index))
    yield path


def _replace(value, path, new):
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


@pytest.fixture
def package(barking):
    course = CoursePage.objects.live().descendant_of(barking.site.root_page).first()
    return export_course_package(course)


def _import_or_refuse(data: bytes, partner):
    before = _counts()
    try:
        course = import_course_package(data=data, partner=partner)
    except CoursePackageError as error:
        assert str(error)
        assert _counts() == before
        return None
    assert course.live is False
    return course


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_cleanly(tunbridge_wells, data):
    _import_or_refuse(data, tunbridge_wells)


@FUZZ
@given(choice=st.data())
def test_a_package_with_any_one_value_replaced_is_imported_or_refused_cleanly(tunbridge_wells, package, choice):
    paths = list(_leaf_paths(package))
    path = choice.draw(st.sampled_from(paths))
    mutated = _replace(json.loads(json.dumps(package)), path, choice.draw(json_values))
    _import_or_refuse(
        dump_package(mutated) if isinstance(mutated, dict) else json.dumps(mutated).encode(), tunbridge_wells
    )
