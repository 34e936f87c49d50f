"""StreamField blocks shared by every page type (courses add their own on top)."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .directory import SupportDirectoryBlock

RICH_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = "A boxed note with a short title, for what readers must not miss, such as when to call 999."
        preview_value = {
            "title": "In an emergency",
            "text": "<p>Call 999. Safe Havens do not replace the emergency services.</p>",
        }


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=200, required=False, help_text="Describe the image for screen readers; leave blank if decorative."
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "A photo with a description for screen readers and an optional caption."
        # No image: a preview cannot know which of the partner's images to show.
        preview_value = {
            "alt_text": "The Safe Haven sticker in the window of a café",
            "caption": "Venues show the sticker where people can see it from the street.",
        }


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(max_length=120, form_classname="title", template="blocks/heading.html", icon="title")
    paragraph = blocks.RichTextBlock(features=RICH_FEATURES, template="blocks/paragraph.html")
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    video = EmbedBlock(help_text="A YouTube or Vimeo link. Give the video captions.", icon="media")
    support_directory = SupportDirectoryBlock()

    class Meta:
        description = (
            "The body of a page: headings, paragraphs, callouts, images, videos and the council's support directory."
        )
        preview_value = [
            ("heading", "Who it helps"),
            (
                "paragraph",
                "<p>Anyone who feels lost, harassed, bullied, unwell or unsafe — particularly women, girls and "
                "young people.</p>",
            ),
            (
                "callout",
                {
                    "title": "In an emergency",
                    "text": "<p>Call 999. Safe Havens do not replace the emergency services.</p>",
                },
            ),
        ]
