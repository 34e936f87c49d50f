"""Every StreamField block editors pick has a description and an example value for Wagtail's block
previews, and the example is a value the block accepts."""

import inspect
import io

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail import blocks

import cms.blocks
import cms.directory
import courses.blocks
from cms.models import CustomImage
from courses.models import Module
from tests.factories import PartnerFactory, editor_of

BLOCK_CLASSES = [
    cls
    for module in (cms.blocks, cms.directory, courses.blocks)
    for _, cls in inspect.getmembers(module, inspect.isclass)
    if cls.__module__ == module.__name__ and issubclass(cls, (blocks.StructBlock, blocks.StreamBlock))
]


def test_the_block_modules_define_the_blocks_this_test_expects():
    names = {cls.__name__ for cls in BLOCK_CLASSES}
    assert names == {
        "CalloutBlock",
        "CaptionedImageBlock",
        "BodyBlock",
        "StepListBlock",
        "ScenarioBlock",
        "ModuleBodyBlock",
        "SupportDirectoryBlock",
    }


@pytest.mark.parametrize("block_class", BLOCK_CLASSES, ids=lambda cls: cls.__name__)
def test_block_has_a_description_and_a_preview_value(block_class):
    block = block_class()
    assert block.get_description().endswith(".")
    assert block.meta.preview_value


@pytest.mark.parametrize("block_class", BLOCK_CLASSES, ids=lambda cls: cls.__name__)
def test_preview_value_is_a_value_the_block_accepts(db, block_class):
    block = block_class()
    value = block.get_preview_value()
    if block_class is cms.blocks.CaptionedImageBlock:
        # The preview leaves the image out (it cannot know whose image to show); with one chosen it is valid.
        png = io.BytesIO()
        PILImage.new("RGB", (4, 3), "red").save(png, "PNG")
        image = CustomImage.objects.create(title="Safe Haven sticker", file=ImageFile(png, name="sticker.png"))
        value = block.to_python({**block.get_prep_value(value), "image": image.pk})
    cleaned = block.clean(value)
    assert block.get_prep_value(block.to_python(block.get_prep_value(cleaned))) == block.get_prep_value(cleaned)


def test_block_picker_preview_shows_an_editor_the_example(db, client):
    client.force_login(editor_of(PartnerFactory()))
    scenario = Module._meta.get_field("body").stream_block.child_blocks["scenario"]
    assert scenario.is_previewable
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": scenario.definition_prefix})
    assert response.status_code == 200
    assert "Scenario: Someone comes in saying they are being followed" in response.text
    assert "Do not go outside to confront him." in response.text
    assert "css/main.css" in response.text
