from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("said by"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {"text": "Thảo quả nhà tôi phơi trên gác bếp.", "attribution": "Lý A Sử"}


class AudioBlock(blocks.StructBlock):
    """A short recorded description, for people who read little (often in Hmong)."""

    audio = DocumentChooserBlock(label=_("audio file (MP3, M4A, OGG)"))
    caption = blocks.CharBlock(label=_("what it says"), required=False)
    language = blocks.ChoiceBlock(
        choices=[("vi", "Tiếng Việt"), ("hmn", "Hmoob"), ("en", "English")],
        default="vi",
        label=_("spoken language"),
    )

    class Meta:
        icon = "media"
        template = "blocks/audio_block.html"
        preview_value = {"caption": "Giới thiệu sản phẩm", "language": "vi"}


class StoryBlock(blocks.StreamBlock):
    """Body content for cooperatives and products: text, pictures, voices and quotes."""

    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        label=_("paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Thảo quả được trồng dưới tán rừng già ở độ cao 1.800 m.</p>",
    )
    image = ImageBlock(
        label=_("image"),
        template="blocks/image_block.html",
    )
    audio = AudioBlock(label=_("audio"))
    quote = QuoteBlock(label=_("quote"))

    class Meta:
        template = "blocks/story_block.html"
