"""StreamField blocks for training modules: cms's shared blocks plus steps and scenarios."""

from collections import defaultdict

from wagtail import blocks
from wagtail.blocks.stream_block import StreamValue
from wagtail.embeds.blocks import EmbedBlock

from cms.blocks import RICH_FEATURES, CalloutBlock, CaptionedImageBlock
from cms.directory import SupportDirectoryBlock

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
        description = "A numbered list of what to do, in order, such as calling a taxi for someone."
        preview_value = {
            "title": "Calling a taxi for someone",
            "steps": [
                "Ask where they want to go and whether they can pay, or whether someone will pay at the other end.",
                "Call a licensed firm you know, not one from a card in the window.",
                "Give the firm the venue's name and address and ask for the driver's name and the car.",
                "Wait with them inside until the taxi arrives and check it is the right car.",
            ],
        }


class ScenarioBlock(blocks.StructBlock):
    """A situation staff may meet, with what to do and what not to do."""

    title = blocks.CharBlock(max_length=160, help_text="e.g. Someone comes in saying they are being followed")
    situation = blocks.TextBlock(help_text="Describe what happens, as staff would see it.")
    what_to_do = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)
    what_not_to_do = blocks.ListBlock(blocks.CharBlock(max_length=300), required=False, min_num=0)

    class Meta:
        icon = "group"
        template = "courses/blocks/scenario.html"
        description = "A situation staff may meet, with what to do and what not to do."
        preview_value = {
            "title": "Someone comes in saying they are being followed",
            "situation": "A young woman walks in quickly, looks back at the door and asks if she can stay for a "
            "minute. She says a man has been following her since the station.",
            "what_to_do": [
                "Let her in and take her somewhere she cannot be seen from the street.",
                "Ask calmly whether she wants you to call the police, a friend or family.",
                "Call 999 if the man comes in or she is in immediate danger.",
            ],
            "what_not_to_do": [
                "Do not go outside to confront him.",
                "Do not ask her to leave until she is ready and safe.",
            ],
        }


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
    support_directory = SupportDirectoryBlock()

    class Meta:
        description = (
            "The body of a training module: headings, paragraphs, callouts, images, videos, steps, scenarios and "
            "the council's support directory."
        )
        preview_value = [
            ("heading", "Signs to look out for"),
            (
                "paragraph",
                "<p>People in distress rarely announce it. Someone may hover near the door, keep looking back "
                "outside, or ask an ordinary question just to have a reason to stay.</p>",
            ),
            (
                "callout",
                {
                    "title": "You are not expected to be a hero",
                    "text": "<p>Never confront or chase anyone. Offer a safe place and call the right help.</p>",
                },
            ),
        ]


def prefetch_streams(streams) -> None:
    """Convert the blocks of several lazy StreamValues together, one batch per block type.

    A StreamValue converts its own blocks on first access (`bulk_to_python`), so a course page
    showing ten modules would look up images ten times. This does the lookups once for all of
    them. It fills the same `_bound_blocks` cache Wagtail's `StreamValue._prefetch_blocks` does.
    """
    pending = defaultdict(list)  # (id of the stream block, block type) -> [(stream, index)]
    for stream in streams:
        if not getattr(stream, "is_lazy", False):
            continue
        for index, raw in enumerate(stream._raw_data):
            if stream._bound_blocks[index] is None and raw.get("type") in stream.stream_block.child_blocks:
                pending[(id(stream.stream_block), raw["type"])].append((stream, index))
    for (_, type_name), places in pending.items():
        child_block = places[0][0].stream_block.child_blocks[type_name]
        values = child_block.bulk_to_python([stream._raw_data[index]["value"] for stream, index in places])
        for (stream, index), value in zip(places, values, strict=True):
            stream._bound_blocks[index] = StreamValue.StreamChild(
                child_block, value, id=stream._raw_data[index].get("id")
            )
