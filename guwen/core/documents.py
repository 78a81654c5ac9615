"""Official documents from Word templates: render, check a replacement, convert to PDF, cache.

Every official document (the mediation 卷宗's forms, a health-check report, a quarterly summary) is
one docxtpl template: a .docx whose text holds Jinja tags (``{{ case.number }}``, ``{%tr for p in
parties %}``). An app registers each *kind* of document it produces (``register``): its title, the
template it ships, the variables it offers (a schema that documents them and bounds what a
replacement template may use) and a realistic sample context. Staff may replace the shipped
template of a kind (``DocumentTemplate``); a replacement is checked before it is accepted
(``check_template``), and the shipped file remains the fallback.

The PDF is never a second layout: it is the same .docx converted by LibreOffice headless
(``docx_to_pdf``), in the worker (``guwen.core.tasks.convert_document_pdf``), and cached in the
default storage under ``documents/`` by a version that hashes the template and the context, so a
document version is converted once (``document_docx``, ``document_pdf``, ``request_pdf``).

This module knows no domain: the kinds come from the apps' own ``documents`` modules, found by
``autodiscover`` when Django starts.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from jinja2.sandbox import SandboxedEnvironment

from guwen.core.errors import DomainError

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
STORAGE_PREFIX = "documents"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
SOFFICE_TIMEOUT = 120  # seconds; a first run also builds the private profile


class DocumentError(DomainError):
    """A document cannot be produced (no converter, a conversion that failed or timed out)."""


class TemplateCheckError(DomainError):
    """An uploaded template refused, with the reason named (which variable, which tag)."""


# --- kinds ------------------------------------------------------------------------------------

# A schema maps each variable to a description (a leaf), to a nested schema (a dict of fields), or
# to a one-item list holding the schema of each element of a list.
Schema = Mapping[str, Any]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of official document an app produces."""

    key: str  # "mediation.agreement": app label, dot, name
    title: str  # "人民调解协议书"
    template: Path  # the shipped template, the fallback when no replacement is active
    variables: Schema
    sample: Callable[[], dict[str, Any]] = field(repr=False)

    def sample_context(self) -> dict[str, Any]:
        return copy.deepcopy(self.sample())


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Make ``kind`` known (idempotent for the same key: a module imported twice registers once)."""
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise DomainError(_("未知的文书种类：%(key)s") % {"key": key}, field="kind") from None


def kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def autodiscover() -> None:
    """Import every installed app's ``documents`` module, which registers that app's kinds."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("documents")


def schema_paths(schema: Schema, prefix: str = "") -> list[tuple[str, str]]:
    """``(dotted path, description)`` of every leaf: ``parties[].name``, ``case.number``..."""
    paths: list[tuple[str, str]] = []
    for name, value in schema.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping):
            paths += schema_paths(value, f"{path}.")
        elif isinstance(value, list):
            item = value[0]
            if isinstance(item, Mapping):
                paths += schema_paths(item, f"{path}[].")
            else:
                paths.append((f"{path}[]", str(item)))
        else:
            paths.append((path, str(value)))
    return paths


def schema_mismatches(schema: Schema, value: Any, prefix: str = "") -> list[str]:
    """Where ``value`` (a context) departs from ``schema``: missing or extra keys, wrong shapes."""
    problems: list[str] = []
    if not isinstance(value, Mapping):
        return [f"{prefix or '(root)'}: not a dict"]
    for name in set(value) - set(schema):
        problems.append(f"{prefix}{name}: not in the schema")
    for name, sub in schema.items():
        path = f"{prefix}{name}"
        if name not in value:
            problems.append(f"{path}: missing")
        elif isinstance(sub, Mapping):
            problems += schema_mismatches(sub, value[name], f"{path}.")
        elif isinstance(sub, list):
            if not isinstance(value[name], list) or not value[name]:
                problems.append(f"{path}: not a non-empty list")
            elif isinstance(sub[0], Mapping):
                for index, item in enumerate(value[name]):
                    problems += schema_mismatches(sub[0], item, f"{path}[{index}].")
        elif not isinstance(value[name], str | int):
            problems.append(f"{path}: not a string or number")
    return problems


# --- rendering --------------------------------------------------------------------------------


def _environment(*, strict: bool) -> jinja2.Environment:
    # Strict for the check (a field the kind does not offer is an error); chainable when producing a
    # document, so a value an app left out prints blank instead of failing a staff member's download.
    undefined = jinja2.StrictUndefined if strict else jinja2.ChainableUndefined
    # Sandboxed: a template is a file staff upload, and Jinja's attribute access could otherwise
    # walk from a string to Python's internals ({{ ''.__class__.__mro__ }}).
    return SandboxedEnvironment(undefined=undefined, autoescape=False)  # docxtpl turns escaping on


IMAGE_PREFIX = "data:image/png;base64,"
IMAGE_WIDTH_CM = 15


def _images(document, context: Mapping[str, Any]) -> dict[str, Any]:
    """Pictures for the template: the context's ``images`` mapping (name → a PNG as a data URI,
    a string, so the context stays JSON and hashes into the version) becomes docxtpl inline images,
    written in the template as ``{{ images.name }}``. Only that mapping is read as pictures; any
    other text stays text."""
    import base64

    from docx.shared import Cm
    from docxtpl import InlineImage

    images = context.get("images")
    if not isinstance(images, Mapping):
        return dict(context)
    pictures = {}
    for name, value in images.items():
        if isinstance(value, str) and value.startswith(IMAGE_PREFIX):
            data = base64.b64decode(value[len(IMAGE_PREFIX) :])
            pictures[name] = InlineImage(document, io.BytesIO(data), width=Cm(IMAGE_WIDTH_CM))
        else:
            pictures[name] = value
    return {**context, "images": pictures}


def render_docx(template: bytes, context: Mapping[str, Any], *, strict: bool = False) -> bytes:
    """The .docx ``template`` filled with ``context``, as bytes."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    context = _images(document, context)
    # autoescape: a party's name with "<" or "&" must stay text, not break the document's XML.
    document.render(context, jinja_env=_environment(strict=strict), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- checking a replacement template ------------------------------------------------------------

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_DOCXTPL_PREFIX = re.compile(r"^(\{[{%])(?:p|tr|tc|r)\s")


def _document_texts(data: bytes) -> list[str]:
    """The text of every paragraph of the .docx in document order: body (tables and nested tables
    included, a merged cell once), then headers and footers."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    return [
        "".join(text.text or "" for text in paragraph.iter(qn("w:t")))
        for root in roots
        for paragraph in root.iter(qn("w:p"))
    ]


def _tags(data: bytes) -> list[str]:
    return [tag for text in _document_texts(data) for tag in _TAG.findall(text)]


def _jinja_tag(tag: str) -> str:
    """A docxtpl tag as plain Jinja: ``{%tr for x in y %}`` → ``{% for x in y %}``."""
    return _DOCXTPL_PREFIX.sub(r"\1 ", tag)


_BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "macro": "endmacro"}
# Statements that need no block check; include, import and extends are refused (no loader).
_OTHER_STATEMENTS = {"set", "raw", "endraw"}


def _bad_tag(data: bytes) -> tuple[str, str] | None:
    """The first tag that is wrong on its own or leaves a block unbalanced, with Jinja's reason."""
    environment = _environment(strict=True)
    opened: list[tuple[str, str]] = []
    texts = _document_texts(data)
    for text in texts:
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            start = min((i for i in (text.find("{{"), text.find("{%")) if i >= 0), default=0)
            return text[start : start + 40], _("标签没有闭合（缺少 }} 或 %}）")
    for tag in _tags(data):
        plain = _jinja_tag(tag)
        if plain.startswith("{{"):
            try:
                environment.parse(plain)
            except jinja2.TemplateSyntaxError as exc:
                return tag, exc.message or ""
            continue
        if not plain.startswith("{%"):
            continue
        words = plain[2:-2].strip("-+ \t\n").split()
        word = words[0] if words else ""
        if word in _BLOCKS:
            opened.append((word, tag))
            try:
                environment.parse(f"{plain}{{% {_BLOCKS[word]} %}}")
            except jinja2.TemplateSyntaxError as exc:
                return tag, exc.message or ""
        elif word.startswith("end") and word != "endraw":
            if not opened or _BLOCKS[opened[-1][0]] != word:
                return tag, _("多余或不匹配的结束标签")
            opened.pop()
        elif word in {"else", "elif"}:
            if not opened:
                return tag, _("else/elif 不在任何 if 或 for 之内")
        elif word not in _OTHER_STATEMENTS:
            return tag, _("未知的标签 %(word)s") % {"word": word}
    if opened:
        return opened[-1][1], _("缺少对应的 %(end)s") % {"end": _BLOCKS[opened[-1][0]]}
    return None


def check_template(kind: DocumentKind, data: bytes) -> None:
    """Refuse a replacement template for ``kind`` unless it is a .docx that parses, uses only the
    variables the kind offers, and renders with the kind's sample context. Raises
    ``TemplateCheckError`` naming the problem in Chinese."""
    from docxtpl import DocxTemplate

    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateCheckError(_("模板文件超过 5 MB。"), field="file")
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateCheckError(
            _("不是 Word 文档（.docx）：请上传用 Word 或 WPS 另存为 .docx 的文件。"), field="file"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise TemplateCheckError(
                    _("不是 Word 文档（.docx）：文件中没有 word/document.xml。"), field="file"
                )
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise TemplateCheckError(
                    _("模板含有宏（VBA），不予接受：请另存为不含宏的 .docx。"), field="file"
                )
            if sum(info.file_size for info in archive.infolist()) > 20 * MAX_TEMPLATE_BYTES:
                raise TemplateCheckError(_("模板解压后过大，不予接受。"), field="file")
        _document_texts(data)
    except TemplateCheckError:
        raise
    except Exception as exc:  # a broken zip or XML: python-docx raises many kinds
        raise TemplateCheckError(
            _("Word 文档无法打开（%(reason)s）：请在 Word 或 WPS 中重新另存为 .docx。")
            % {"reason": type(exc).__name__},
            field="file",
        ) from exc

    bad = _bad_tag(data)
    if bad is not None:
        tag, reason = bad
        raise TemplateCheckError(
            _("模板标签「%(tag)s」有误：%(reason)s") % {"tag": tag, "reason": reason}, field="file"
        )
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(
            jinja_env=_environment(strict=True)
        )
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateCheckError(
            _("模板标签有误：%(reason)s（第 %(line)s 行附近）") % {"reason": exc.message, "line": exc.lineno},
            field="file",
        ) from exc
    unknown = sorted(set(used) - set(kind.variables))
    if unknown:
        raise TemplateCheckError(
            _("模板使用了「%(kind)s」不提供的变量：%(names)s。可用的变量：%(offered)s")
            % {"kind": kind.title, "names": "、".join(unknown), "offered": "、".join(kind.variables)},
            field="file",
        )
    try:
        render_docx(data, kind.sample_context(), strict=True)
    except jinja2.UndefinedError as exc:
        # Jinja says "'dict object' has no attribute 'x'" or "'x' is undefined": name just x.
        found = re.search(r"attribute '([^']+)'|^'([^']+)' is undefined", exc.message or "")
        name = next((group for group in found.groups() if group), "") if found else (exc.message or "")
        raise TemplateCheckError(
            _("模板使用了「%(kind)s」不提供的字段：%(name)s") % {"kind": kind.title, "name": name},
            field="file",
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateCheckError(
            _("模板访问了不允许的内部属性，不予接受：%(reason)s") % {"reason": exc.message or exc},
            field="file",
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateCheckError(
            _("模板无法用示例数据生成文书：%(reason)s") % {"reason": getattr(exc, "message", "") or exc},
            field="file",
        ) from exc
    except Exception as exc:
        raise TemplateCheckError(
            _("模板无法用示例数据生成文书（%(reason)s）。") % {"reason": type(exc).__name__}, field="file"
        ) from exc


# --- which template -----------------------------------------------------------------------------


def template_bytes(kind: DocumentKind, *, district_code: str = "") -> bytes:
    """The bytes of the template that renders ``kind`` for ``district_code``: that district's active
    replacement, else the default active replacement, else the shipped template."""
    from guwen.core.models import DocumentTemplate

    active = DocumentTemplate.objects.filter(kind=kind.key, active=True)
    chosen = active.filter(district_code=district_code).first() if district_code else None
    if chosen is None:
        chosen = active.filter(district_code="").first()
    if chosen is not None:
        with chosen.file.open("rb") as handle:
            return handle.read()
    return kind.template.read_bytes()


_DISTRICT_CODE = re.compile(r"^\d{12}$")


def clean_district_code(value: str) -> str:
    """Blank (the default for every district) or a 12-digit statistical code."""
    value = (value or "").strip()
    if value and not _DISTRICT_CODE.match(value):
        raise DomainError(_("区划代码应为 12 位数字，或留空作为各区通用的默认模板"), field="district_code")
    return value


# --- PDF ----------------------------------------------------------------------------------------

_soffice_lock = threading.Lock()


def soffice_path() -> str | None:
    return shutil.which("soffice") or ("/usr/bin/soffice" if os.path.exists("/usr/bin/soffice") else None)


def _profile_dir() -> Path:
    # One LibreOffice profile per process: two soffice runs on one profile collide (the second
    # exits at once or hangs), and a fresh profile per call would cost seconds to build each time.
    return Path(tempfile.gettempdir()) / f"guwen-soffice-{os.getuid()}-{os.getpid()}"


def _run_soffice(docx: Path, outdir: Path, *, timeout: int) -> None:
    binary = soffice_path()
    if binary is None:
        raise DocumentError(
            _(
                "服务器未安装 LibreOffice（soffice），无法生成 PDF："
                "请运行 make system-deps 安装 libreoffice-writer-nogui。"
            ),
            code="no_converter",
        )
    profile = _profile_dir()
    if not profile.exists():  # built on the first run; removed when the process ends
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
    command = [
        binary,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]
    # Its own session so that a timeout kills soffice.bin too, not only the wrapper script.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DocumentError(
                _("PDF 转换超时（%(seconds)s 秒）：请稍后重试。") % {"seconds": timeout}, code="timeout"
            ) from None
    if process.returncode != 0:
        raise DocumentError(
            _("PDF 转换失败（LibreOffice 退出码 %(code)s）：%(err)s")
            % {"code": process.returncode, "err": err.decode(errors="replace")[-200:]},
        )


def docx_to_pdf(docx: bytes, *, timeout: int | None = None) -> bytes:
    """``docx`` converted to PDF by LibreOffice headless."""
    timeout = timeout or getattr(settings, "GUWEN_SOFFICE_TIMEOUT", SOFFICE_TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="guwen-doc-") as work, _soffice_lock:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        _run_soffice(source, Path(work), timeout=timeout)
        pdf = Path(work) / "document.pdf"
        if not pdf.exists() or not pdf.read_bytes().startswith(b"%PDF-"):
            raise DocumentError(_("PDF 转换失败：LibreOffice 没有生成 PDF 文件。"))
        return pdf.read_bytes()


# --- the cache ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDocument:
    kind: str
    version: str
    docx_name: str  # name in default storage

    @property
    def pdf_name(self) -> str:
        return self.docx_name.removesuffix(".docx") + ".pdf"


def document_version(template: bytes, context: Mapping[str, Any]) -> str:
    """A hash of the template and the context: a new version whenever either changes."""
    digest = hashlib.sha256(template)
    digest.update(json.dumps(context, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()[:24]


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _storage_name(kind: str, object_key: str, version: str) -> str:
    return f"{STORAGE_PREFIX}/{_SAFE.sub('_', kind)}/{_SAFE.sub('_', object_key)}/{version}.docx"


def _store(name: str, data: bytes) -> None:
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another process stored the same version first: keep one copy
            default_storage.delete(saved)


def document_docx(
    *, kind: str, object_key: str, context: Mapping[str, Any], district_code: str = ""
) -> StoredDocument:
    """The .docx of ``object_key``'s document of ``kind`` for this context, rendered and stored
    once per version (template and context), from the template of the record's district."""
    document_kind = get_kind(kind)
    template = template_bytes(document_kind, district_code=district_code)
    version = document_version(template, context)
    stored = StoredDocument(kind=kind, version=version, docx_name=_storage_name(kind, object_key, version))
    if not default_storage.exists(stored.docx_name):
        _store(stored.docx_name, render_docx(template, context))
    return stored


def pdf_from_stored_docx(docx_name: str) -> str:
    """Convert a stored .docx to the PDF stored beside it, unless that PDF exists already (the
    conversion runs once per document version). Returns the PDF's storage name."""
    if not docx_name.startswith(f"{STORAGE_PREFIX}/") or not docx_name.endswith(".docx") or ".." in docx_name:
        raise DocumentError(_("不是已生成的文书：%(name)s") % {"name": docx_name})
    pdf_name = docx_name.removesuffix(".docx") + ".pdf"
    if default_storage.exists(pdf_name):
        return pdf_name
    with default_storage.open(docx_name, "rb") as handle:
        docx = handle.read()
    _store(pdf_name, docx_to_pdf(docx))
    return pdf_name


def document_pdf(*, kind: str, object_key: str, context: Mapping[str, Any], district_code: str = "") -> str:
    """The PDF's storage name, converting now if needed (for the worker and commands; pages call
    ``request_pdf``, which leaves the conversion to the worker)."""
    stored = document_docx(kind=kind, object_key=object_key, context=context, district_code=district_code)
    return pdf_from_stored_docx(stored.docx_name)


def request_pdf(
    *, kind: str, object_key: str, context: Mapping[str, Any], district_code: str = ""
) -> tuple[StoredDocument, bool]:
    """Make sure the PDF of this document version exists or is being made: ``(stored, ready)``.
    When it is not ready, the worker's task converts it; the page shows that it is on its way."""
    stored = document_docx(kind=kind, object_key=object_key, context=context, district_code=district_code)
    if default_storage.exists(stored.pdf_name):
        return stored, True
    from guwen.core.tasks import convert_document_pdf

    # A download clicked again (or by a colleague) while the worker has not got to the conversion
    # yet must not queue it a second time: the first request sets a marker in the shared cache,
    # atomically (``add`` succeeds for one caller only), and keeps it a little longer than a
    # conversion may take; after that a request that still finds no PDF queues it again (the
    # worker was down, or the conversion failed).
    marker = _queued_marker(stored.docx_name)
    if cache.add(marker, True, timeout=_queued_marker_seconds()):
        try:
            convert_document_pdf.enqueue(stored.docx_name)
        except Exception:
            cache.delete(marker)  # not queued after all: the next request tries again
            raise
    return stored, default_storage.exists(stored.pdf_name)  # ready at once when tasks run inline


def _queued_marker(docx_name: str) -> str:
    return "documents:pdf-queued:" + hashlib.sha256(docx_name.encode()).hexdigest()[:32]


def _queued_marker_seconds() -> int:
    return int(getattr(settings, "GUWEN_SOFFICE_TIMEOUT", SOFFICE_TIMEOUT)) + 60


def pdf_is_queued(docx_name: str) -> bool:
    """Whether the conversion of this stored .docx was queued recently and may still be pending."""
    return bool(cache.get(_queued_marker(docx_name)))


# --- expiry of the cache --------------------------------------------------------------------------


def _listdir(path: str) -> tuple[list[str], list[str]]:
    try:
        return default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return [], []


def _modified(name: str) -> Any:
    try:
        return default_storage.get_modified_time(name)
    except FileNotFoundError:  # another worker's sweep deleted it a moment ago
        return None


def documents_expire(*, older_than_days: int | None = None, now: Any = None) -> int:
    """Delete cached document versions (the .docx and its PDF) that are no longer current and were
    made more than ``older_than_days`` ago (setting ``GUWEN_DOCUMENT_CACHE_DAYS``, default 30).

    A document's current version is the one made last for its object (a version is made when the
    template or the record changes and someone opens the document); older ones are kept a while
    because a link on an open page may still ask for them. Deleting a version that is asked for
    again only costs a new rendering (and conversion): this is a cache, never the record. Returns
    how many files were deleted."""
    from datetime import timedelta

    from django.utils import timezone

    days = older_than_days if older_than_days is not None else settings.GUWEN_DOCUMENT_CACHE_DAYS
    if days < 1:
        raise DomainError(_("文书缓存保留天数至少为 1 天。"), field="older_than_days")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    kinds_dirs, _files = _listdir(STORAGE_PREFIX)
    for kind_dir in kinds_dirs:
        objects, _files = _listdir(f"{STORAGE_PREFIX}/{kind_dir}")
        for object_dir in objects:
            folder = f"{STORAGE_PREFIX}/{kind_dir}/{object_dir}"
            _dirs, files = _listdir(folder)
            made: dict[str, Any] = {}
            for name in files:
                if name.endswith(".docx") and (when := _modified(f"{folder}/{name}")) is not None:
                    made[name.removesuffix(".docx")] = when
            if not made:
                continue
            current = max(made, key=lambda version: made[version])
            for name in files:
                version = name.rsplit(".", 1)[0]
                if version == current:
                    continue
                # A PDF whose .docx is gone is an orphan: its age alone decides.
                when = made.get(version) or _modified(f"{folder}/{name}")
                if when is not None and when < cutoff:
                    default_storage.delete(f"{folder}/{name}")
                    deleted += 1
    return deleted


# --- replacing a template (services) ------------------------------------------------------------


def document_template_upload(
    *,
    kind: str,
    data: bytes,
    filename: str = "",
    note: str = "",
    district_code: str = "",
    by: Any,
    request: Any = None,
) -> Any:
    """Check ``data`` as a template for ``kind`` and make it the active one for ``district_code``
    (blank: the default for every district); the previous active replacement of that district, if
    any, is kept as an inactive version."""
    from django.db import transaction
    from django.db.models import Max

    from guwen.core import audit
    from guwen.core.models import DocumentTemplate

    document_kind = get_kind(kind)
    district_code = clean_district_code(district_code)
    check_template(document_kind, data)
    with transaction.atomic():
        # Serialise uploads of one kind: the version number and the single active row.
        list(DocumentTemplate.objects.select_for_update().filter(kind=kind).values_list("pk", flat=True))
        latest = DocumentTemplate.objects.filter(kind=kind).aggregate(latest=Max("version"))["latest"] or 0
        same_scope = DocumentTemplate.objects.filter(kind=kind, district_code=district_code, active=True)
        previous = list(same_scope.values_list("version", flat=True))
        same_scope.update(active=False)
        template = DocumentTemplate(
            kind=kind,
            district_code=district_code,
            version=latest + 1,
            original_name=Path(filename).name[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            note=note[:200],
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        template.file.save(f"v{template.version}.docx", ContentFile(data), save=False)
        template.save(force_insert=True)
        audit.record(
            actor=by,
            action="document_template.upload",
            obj=template,
            old={"active_version": previous[0] if previous else None},
            new={
                "kind": kind,
                "district_code": district_code,
                "version": template.version,
                "sha256": template.sha256,
            },
            request=request,
        )
    return template


def document_template_set_active(*, template: Any, active: bool, by: Any, request: Any = None) -> Any:
    """Switch a replacement on (the others of its kind off) or off (back to the shipped template)."""
    from django.db import transaction

    from guwen.core import audit
    from guwen.core.models import DocumentTemplate

    with transaction.atomic():
        list(
            DocumentTemplate.objects.select_for_update()
            .filter(kind=template.kind)
            .values_list("pk", flat=True)
        )
        if active:
            with template.file.open("rb") as handle:  # a kind's variables may have changed since
                check_template(get_kind(template.kind), handle.read())
            DocumentTemplate.objects.filter(
                kind=template.kind, district_code=template.district_code, active=True
            ).exclude(pk=template.pk).update(active=False)
        was = DocumentTemplate.objects.get(pk=template.pk).active
        DocumentTemplate.objects.filter(pk=template.pk).update(active=active)
        template.refresh_from_db()
        audit.record(
            actor=by,
            action="document_template.activate" if active else "document_template.deactivate",
            obj=template,
            old={"active": was},
            new={"active": active},
            request=request,
        )
    return template
