"""Pictures and spoken clips in a cooperative's collection, and the audio blocks that play a clip."""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from demo.services.run import SeedRun
from demo.specs import VoiceClip
from website.blocks import AudioBlock

# The committed clips; demo/clips/README.md says how they were made.
CLIPS = Path(__file__).resolve().parent.parent / "clips"


def ensure_image(run: SeedRun, collection: Collection, title: str, draw):
    """The image titled `title` in `collection`, drawn by `draw()` (PNG bytes) when missing."""
    Image = get_image_model()
    image = Image.objects.filter(collection=collection, title=title).first()
    if image is not None:
        return image
    image = Image(
        title=title,
        collection=collection,
        uploaded_by_user=run.admin,
        file=ImageFile(BytesIO(draw()), name=f"{slugify(title) or 'demo'}.png"),
    )
    image._set_image_file_metadata()
    image.save()
    run.changed(f"image “{title}”")
    return image


def ensure_voice(run: SeedRun, collection: Collection, clip: VoiceClip):
    Document = get_document_model()
    document = Document.objects.filter(collection=collection, title=clip.title).first()
    if document is not None:
        return document
    document = Document(
        title=clip.title,
        collection=collection,
        uploaded_by_user=run.admin,
        file=ContentFile((CLIPS / clip.file).read_bytes(), name=clip.file),
    )
    document._set_document_file_metadata()
    document.save()
    run.new_voice_ids.add(document.pk)
    run.changed(f"voice clip “{clip.title}”")
    return document


def voice_value(document, clip: VoiceClip) -> dict:
    return {"audio": document, "caption": clip.transcript, "language": clip.language}


def add_voice(run: SeedRun, page: Page, field_name: str, block_name: str, document, clip: VoiceClip) -> None:
    """Put a clip made in this run at the top of a page seeded before the clips existed, in a
    published revision, unless an editor has a draft in progress. A clip an editor removed
    later is not put back: its document is not new then."""
    stream = getattr(page, field_name)
    cited = any(block.block_type == block_name and block.value["audio"] == document for block in stream)
    if document.pk not in run.new_voice_ids or cited or page.has_unpublished_changes:
        return
    stream.insert(0, (block_name, voice_value(document, clip)))
    page.save_revision(user=run.admin).publish(user=run.admin)
    run.changed(f"{page.title} plays “{clip.title}”")


def voice_block_name(model) -> str | None:
    """The name of the AudioBlock in `model.voice`, or None while the model has no such
    StreamField (BatchPage gains one in issue 6)."""
    try:
        stream_block = model._meta.get_field("voice").stream_block
    except (FieldDoesNotExist, AttributeError):
        return None
    return next((name for name, b in stream_block.child_blocks.items() if isinstance(b, AudioBlock)), None)
