"""Course packages: a versioned JSON file that carries a course between installations.

Format (version 1) is documented in README.md under "Course packages". Everything read from a
package is untrusted: rich text goes through `clean_html`, every other string through
`clean_text`, StreamField JSON is rebuilt block by block against this installation's block
definitions (unknown block types are refused), and images are checked against their sha256.
"""

import base64
import binascii
import hashlib
import io
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.log_actions import log
from wagtail.models import Collection
from wagtail.rich_text import expand_db_html

from cms.sanitise import clean_html, clean_text

from .exceptions import CoursePackageError
from .models import CourseModule, CoursePage, KnowledgeCheckQuestion, Module, TrainingIndexPage

FORMAT = "safe-haven-course"
VERSION = 1
IMAGE_FORMATS = {"png", "jpeg", "gif", "webp"}


def package_max_bytes() -> int:
    return getattr(settings, "COURSE_PACKAGE_MAX_BYTES", 5 * 1024 * 1024)


# --- export -------------------------------------------------------------------------------------


def export_course_package(course: CoursePage) -> dict:
    """The course, its modules (published content, in order) and knowledge check as a package."""
    course = course.specific
    images = {}

    def export_leaf(block, value):
        if isinstance(block, blocks.RichTextBlock):
            return expand_db_html(value or "")
        if isinstance(block, ImageChooserBlock):
            return _export_image(value, images) if value else None
        return value

    modules = []
    for course_module in course.course_modules.select_related("module__partner"):
        module = course_module.module
        modules.append(
            {
                "title": module.title,
                "summary": module.summary,
                "learning_outcomes": expand_db_html(module.learning_outcomes),
                "duration_minutes": module.duration_minutes,
                "body": _walk(module.body.stream_block, module.body.get_prep_value(), export_leaf),
                "origin": {"title": module.title, "partner": module.partner.name},
            }
        )
    partner = course.get_partner()
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": {"partner": partner.name if partner else "", "url": course.full_url or ""},
        "course": {
            "title": course.title,
            "slug": course.slug,
            "listing_summary": course.listing_summary,
            "overview": expand_db_html(course.overview),
            "audience": course.audience,
            "learning_outcomes": expand_db_html(course.learning_outcomes),
            "duration_minutes": course.duration_minutes,
            "price": str(course.price),
        },
        "modules": modules,
        "knowledge_check": {
            "pass_mark": course.pass_mark,
            "questions": [
                {"question": q.question, "options": q.option_list, "correct_option": q.correct_option}
                for q in course.knowledge_check_questions.all()
            ],
        },
        "images": images,
    }


def dump_package(package: dict) -> bytes:
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")


def _export_image(image_id, images: dict) -> str:
    image = get_image_model().objects.get(pk=image_id)
    with image.open_file() as handle:
        data = handle.read()
    checksum = hashlib.sha256(data).hexdigest()
    images.setdefault(
        checksum,
        {
            "title": image.title,
            "filename": image.file.name.rsplit("/", 1)[-1],
            "data": base64.b64encode(data).decode("ascii"),
        },
    )
    return f"sha256:{checksum}"


# --- import -------------------------------------------------------------------------------------


def parse_package(data: bytes) -> dict:
    """Check size, JSON, format and version; the rest is checked while importing."""
    limit = package_max_bytes()
    if len(data) > limit:
        raise CoursePackageError(f"The package is {len(data):,} bytes; the limit is {limit:,} bytes.")
    try:
        package = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CoursePackageError("The package is not UTF-8 text, so it is not a course package.") from error
    except json.JSONDecodeError as error:
        raise CoursePackageError(
            f"The package is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise CoursePackageError(f'This is not a course package: it must say "format": "{FORMAT}".')
    version = package.get("version")
    if version is None:
        raise CoursePackageError(f'The package does not say its "version"; this installation reads version {VERSION}.')
    if version != VERSION or isinstance(version, bool):
        raise CoursePackageError(
            f"Course package version {clean_text(str(version))[:20]} is not supported; "
            f"this installation reads version {VERSION}."
        )
    return package


def import_course_package(*, data: bytes, partner, actor=None) -> CoursePage:
    """Create the packaged course under the partner's /training/ as a draft, in one transaction.

    Modules become the partner's own private modules (their origin is kept in `imported_from`,
    never as `copied_from`, which only points at modules on this installation).
    """
    package = parse_package(data)
    course_data = _expect(package, "course", dict)
    module_entries = _expect(package, "modules", list)
    check = package.get("knowledge_check") or {}
    _require(isinstance(check, dict), "“knowledge_check” must be an object.")
    image_entries = package.get("images") or {}
    _require(isinstance(image_entries, dict), "“images” must be an object keyed by sha256 checksum.")
    source = package.get("source") or {}
    _require(isinstance(source, dict), "“source” must be an object.")
    source_partner = clean_text(str(source.get("partner", "")))[:120]

    # Validate and sanitise everything before writing anything.
    referenced = set()
    modules = [
        _clean_module(entry, number, referenced, source_partner) for number, entry in enumerate(module_entries, 1)
    ]
    images = {checksum: _clean_image(image_entries.get(checksum), checksum) for checksum in referenced}
    questions = [
        _clean_question(entry, number) for number, entry in enumerate(_expect(check, "questions", list, []), 1)
    ]
    course_fields = _clean_course(course_data, check)

    training = TrainingIndexPage.objects.child_of(partner.site.root_page).first()
    if training is None:
        raise CoursePackageError(f"{partner.name} has no /training/ page to import the course into.")

    new_files = []  # image files written before a failure: the rollback does not remove them
    try:
        with transaction.atomic():
            image_ids = {checksum: _store_image(image, partner, new_files).pk for checksum, image in images.items()}
            saved_modules = []
            for fields in modules:
                body = _walk(
                    Module._meta.get_field("body").stream_block,
                    fields.pop("body"),
                    lambda block, value: (
                        image_ids[value.split(":", 1)[1]] if isinstance(block, ImageChooserBlock) and value else value
                    ),
                )
                module = Module(partner=partner, shared=False, live=False, body=body, **fields)
                module.full_clean(exclude=["body"])
                module.body.stream_block.clean(module.body)
                module.save()
                log(instance=module, action="wagtail.create", user=actor)
                module.save_revision(user=actor).publish(user=actor)
                saved_modules.append(module)
            course_fields["slug"] = _free_slug(training, course_fields["slug"])
            course = CoursePage(
                **course_fields,
                live=False,
                owner=actor,
                course_modules=[CourseModule(module=m, sort_order=i) for i, m in enumerate(saved_modules)],
                knowledge_check_questions=[KnowledgeCheckQuestion(sort_order=i, **q) for i, q in enumerate(questions)],
            )
            for question in course.knowledge_check_questions.all():
                question.full_clean(exclude=["page"])
            training.add_child(instance=course)
            course.save_revision(user=actor, log_action=True)
    except BaseException as error:
        for file in new_files:
            file.storage.delete(file.name)
        if isinstance(error, ValidationError):
            raise CoursePackageError(
                "The package's content is not valid here: " + "; ".join(_messages(error)) + "."
            ) from error
        raise
    return course


def _messages(error: ValidationError) -> list[str]:
    """Editor-facing messages; the model's messages already name what is wrong."""
    return [message.rstrip(".") for message in error.messages]


def _require(condition, message: str) -> None:
    if not condition:
        raise CoursePackageError(message)


def _expect(mapping: dict, key: str, kind, default=None):
    value = mapping.get(key, default)
    names = {dict: "an object", list: "a list", str: "text", int: "a whole number"}
    _require(isinstance(value, kind) and not isinstance(value, bool), f"“{key}” must be {names[kind]}.")
    return value


def _text(mapping, key, max_length, *, required=False) -> str:
    value = mapping.get(key, "")
    _require(isinstance(value, str), f"“{key}” must be text.")
    value = clean_text(value)
    _require(value or not required, f"“{key}” must not be empty.")
    return value[:max_length]


def _html(mapping, key) -> str:
    value = mapping.get(key, "")
    _require(isinstance(value, str), f"“{key}” must be text (HTML).")
    return clean_html(value)


def _minutes(mapping, key, default) -> int:
    value = mapping.get(key, default)
    _require(
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 600,
        f"“{key}” must be a whole number of minutes from 1 to 600.",
    )
    return value


def _clean_course(data: dict, check: dict) -> dict:
    title = _text(data, "title", 255, required=True)
    try:
        price = Decimal(str(data.get("price", "0")))
    except InvalidOperation:
        price = None
    _require(
        price is not None and price.is_finite() and Decimal(0) <= price < Decimal(100000), "“price” must be 0 or more."
    )
    pass_mark = check.get("pass_mark", 80)
    _require(
        isinstance(pass_mark, int) and not isinstance(pass_mark, bool) and 0 <= pass_mark <= 100,
        "“pass_mark” must be a percentage from 0 to 100.",
    )
    return {
        "title": title,
        "slug": slugify(_text(data, "slug", 50)) or slugify(title)[:50] or "course",
        "listing_summary": _text(data, "listing_summary", 255),
        "overview": _html(data, "overview"),
        "audience": _text(data, "audience", 2000),
        "learning_outcomes": _html(data, "learning_outcomes"),
        "duration_minutes": _minutes(data, "duration_minutes", 90),
        "price": price.quantize(Decimal("0.01")),
        "pass_mark": pass_mark,
    }


def _clean_module(entry, number: int, referenced: set, source_partner: str) -> dict:
    _require(isinstance(entry, dict), f"Module {number} must be an object.")
    title = _text(entry, "title", 160, required=True)
    origin = entry.get("origin") or {}
    _require(isinstance(origin, dict), f"Module {number}: “origin” must be an object.")
    origin_title = _text(origin, "title", 160) or title
    origin_partner = _text(origin, "partner", 120) or source_partner

    def import_leaf(block, value):
        return _clean_leaf(block, value, referenced, number)

    return {
        "title": title,
        "summary": _text(entry, "summary", 2000),
        "learning_outcomes": _html(entry, "learning_outcomes"),
        "duration_minutes": _minutes(entry, "duration_minutes", 15),
        "body": _walk(Module._meta.get_field("body").stream_block, entry.get("body") or [], import_leaf),
        "imported_from": f"“{origin_title}” from {origin_partner}"[:255] if origin_partner else f"“{origin_title}”",
    }


_url = URLValidator(schemes=["http", "https"])


def _clean_leaf(block, value, referenced: set, number: int):
    where = f"Module {number}"
    if value is None:
        return None
    if isinstance(block, blocks.RichTextBlock):
        _require(isinstance(value, str), f"{where}: rich text must be text.")
        return clean_html(value)
    if isinstance(block, ImageChooserBlock):
        _require(
            isinstance(value, str) and value.startswith("sha256:") and len(value) == 71,
            f"{where}: an image must be given as sha256:<checksum>.",
        )
        referenced.add(value.split(":", 1)[1].lower())
        return value.lower()
    if isinstance(block, EmbedBlock):
        _require(isinstance(value, str), f"{where}: a video must be a link.")
        try:
            _url(value)
        except ValidationError as error:
            raise CoursePackageError(f"{where}: a video link must be an http or https URL.") from error
        return value
    if isinstance(value, bool | int | float):
        return value
    _require(isinstance(value, str), f"{where}: unexpected content in a “{block.name or 'block'}” block.")
    return clean_text(value)


def _walk(block, value, leaf):
    """Rebuild StreamField JSON following the block definitions, applying `leaf` to every field."""
    if isinstance(block, blocks.StreamBlock):
        _require(isinstance(value, list), "A module body must be a list of blocks.")
        items = []
        for item in value:
            _require(isinstance(item, dict), "Each block in a module body must be an object.")
            kind = item.get("type")
            _require(
                isinstance(kind, str) and kind in block.child_blocks,
                f"Unknown block type {clean_text(str(kind))!r} in a module body.",
            )
            items.append(
                {"type": kind, "value": _walk(block.child_blocks[kind], item.get("value"), leaf), **_block_id(item)}
            )
        return items
    if isinstance(block, blocks.StructBlock):
        _require(isinstance(value, dict), f"A “{block.name}” block must be an object.")
        return {name: _walk(child, value.get(name), leaf) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        _require(isinstance(value, list), f"A “{block.name}” list must be a list.")
        items = []
        for item in value:
            if isinstance(item, dict) and item.get("type") == "item":
                items.append(
                    {"type": "item", "value": _walk(block.child_block, item.get("value"), leaf), **_block_id(item)}
                )
            else:
                items.append({"type": "item", "value": _walk(block.child_block, item, leaf), "id": str(uuid.uuid4())})
        return items
    return leaf(block, value)


def _block_id(item: dict) -> dict:
    try:
        return {"id": str(uuid.UUID(str(item.get("id"))))}
    except ValueError:
        return {"id": str(uuid.uuid4())}


def _clean_question(entry, number: int) -> dict:
    _require(isinstance(entry, dict), f"Question {number} must be an object.")
    options = entry.get("options")
    _require(
        isinstance(options, list) and len(options) >= 2 and all(isinstance(o, str) for o in options),
        f"Question {number}: “options” must be a list of at least two answers.",
    )
    options = [" ".join(clean_text(option).split()) for option in options]
    correct = entry.get("correct_option")
    _require(
        isinstance(correct, int) and not isinstance(correct, bool) and 1 <= correct <= len(options),
        f"Question {number}: “correct_option” must be the number of one of its options (1 for the first).",
    )
    return {
        "question": _text(entry, "question", 300, required=True),
        "options": "\n".join(options),
        "correct_option": correct,
    }


def _clean_image(entry, checksum: str) -> dict:
    _require(isinstance(entry, dict), f"The image sha256:{checksum} is used but not included in “images”.")
    try:
        data = base64.b64decode(entry.get("data") or "", validate=True)
    except (binascii.Error, ValueError, TypeError) as error:
        raise CoursePackageError(f"The image sha256:{checksum} is not valid base64.") from error
    _require(hashlib.sha256(data).hexdigest() == checksum, f"The image sha256:{checksum} does not match its checksum.")
    import willow

    try:
        image_format = willow.Image.open(io.BytesIO(data)).format_name
    except Exception as error:  # noqa: BLE001 - willow raises many kinds for a bad file
        raise CoursePackageError(f"The image sha256:{checksum} is not a picture this site can show.") from error
    _require(image_format in IMAGE_FORMATS, f"The image sha256:{checksum} must be PNG, JPEG, GIF or WebP.")
    title = clean_text(str(entry.get("title", ""))) or "Imported image"
    return {"data": data, "title": title[:255], "filename": f"course-package-{checksum[:16]}.{image_format}"}


def _store_image(image: dict, partner, new_files: list):
    """Reuse an identical image already in the partner's collection, else store it there."""
    model = get_image_model()
    collection = Collection.objects.filter(name=partner.name).first() or Collection.get_first_root_node()
    sha1 = hashlib.sha1(image["data"]).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    existing = model.objects.filter(collection=collection, file_hash=sha1).first()
    if existing:
        return existing
    stored = model(
        title=image["title"], collection=collection, file=ImageFile(io.BytesIO(image["data"]), name=image["filename"])
    )
    stored.file_hash = sha1
    stored.file_size = len(image["data"])
    stored.save()
    new_files.append(stored.file)
    return stored


def _free_slug(parent, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug[:45]}-{number}"
        number += 1
    return candidate
