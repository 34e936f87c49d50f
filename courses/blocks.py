"""StreamField blocks for training modules: cms's shared blocks plus steps and scenarios."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from cms.blocks import RICH_FEATURES, CalloutBlock, CaptionedImageBlock

# Module bodies sit under a module's own h2 on the course page, so their headings are h3.
MODULE_RICH_FEATURES = [feature for feature in RICH_FEATURES if feature not in ("h2", "document-link")]


class StepListBlock(blocks.StructBlock):
    """A numbered "what to do" list, e.g. the steps for calling a taxi for someone."""

    title = blocks.CharBlock(max_length=120, required=False)
    steps = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/step_list.html"
        label = "What to do (steps)"


class ScenarioBlock(blocks.StructBlock):
    """A situation staff may meet, with what to do and what not to do."""

    title = blocks.CharBlock(max_length=160, help_text="e.g. Someone comes in saying they are being followed")
    situation = blocks.TextBlock(help_text="Describe what happens, as staff would see it.")
    what_to_do = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)
    what_not_to_do = blocks.ListBlock(blocks.CharBlock(max_length=300), required=False, min_num=0)

    class Meta:
        icon = "group"
        template = "courses/blocks/scenario.html"


class ModuleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="courses/blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(features=MODULE_RICH_FEATURES, template="blocks/paragraph.html")
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    video = EmbedBlock(help_text="A YouTube or Vimeo link. Give the video captions.", icon="media")
    steps = StepListBlock()
    scenario = ScenarioBlock()
