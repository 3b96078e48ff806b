"""Reads the plugin's copy of the persona library: ``library/<category>/<id>.md``.

The same checks as agent-blueprint's persona loader, so the agent sees exactly the personas the bot
offers: a file that the bot would skip (too large, no frontmatter, bad keys, id not the file name,
empty or oversized body, an id or alias already taken) is skipped here too. Only regular files
inside the plugin's own folder are read; symbolic links are never followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, List, Optional, Tuple

import yaml

PERSONA_SCHEMA_VERSION = 1
PERSONA_FILE_MAX_BYTES = 64 * 1024
PERSONA_BODY_MAX_BYTES = 16 * 1024
PERSONA_DESCRIPTION_MAX_CHARS = 200
PERSONA_NAME_MAX_CHARS = 80
PERSONA_GLYPH_MAX_GRAPHEMES = 3

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
CATEGORY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
TAG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
SEMVER_PATTERN = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")
DEFAULT_MODEL_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*/\S+")
MEMORY_PROVIDER_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
MCP_NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
TOOLSET_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")

#: The bot's list of the files it placed (10,000 entries are about 1 MB).
MANIFEST_MAX_BYTES = 4 * 1024 * 1024

OPENING = re.compile(r"\ufeff?---[ \t]*\r?\n")
CLOSING = re.compile(r"\r?\n---[ \t]*(?:\r?\n|$)")


# libyaml's parser when PyYAML was built with it (about 7 times faster on a frontmatter block),
# else PyYAML's own; either way with the resolvers below.
_BaseLoader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


class _CoreSchemaLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML 1.2's core schema, as the bot's parser reads frontmatter: ``yes``/``on`` stay strings,
    ``1:20`` is not a number. PyYAML's default resolvers follow YAML 1.1."""


_REPLACED_TAGS = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
}
_CoreSchemaLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED_TAGS]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
):
    _CoreSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _construct_core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits, 10)


_CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)


class DuplicateKey(yaml.YAMLError):
    pass


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    # The bot's parsers refuse a key given twice; PyYAML would keep the last one.
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            continue
        if duplicate:
            raise DuplicateKey(f"duplicated mapping key '{key}'")
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_CoreSchemaLoader.add_constructor("tag:yaml.org,2002:map", _construct_unique_mapping)


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Persona:
    meta: Dict[str, Any]
    body: str
    #: Relative to the library, for messages; never an absolute path.
    file: str

    @property
    def id(self) -> str:
        return self.meta["id"]

    @cached_property
    def search_words(self) -> Tuple[Tuple[int, Tuple[str, ...]], ...]:
        """The words a search matches, by weight: the id counts most, the description least.
        Split once per parsed file, not at every search."""
        meta = self.meta
        return (
            (40, tuple(_WORD.findall(self.id)) + tuple(meta.get("aliases") or [])),
            (30, tuple(_WORD.findall(str(meta.get("name", "")).lower()))),
            (20, tuple(meta.get("tags") or [])),
            (5, tuple(_WORD.findall(str(meta.get("description", "")).lower()))),
        )


def split_frontmatter(text: str) -> Tuple[Optional[Any], str, Optional[str]]:
    """(data, body, None) or (None, "", reason)."""
    opening = OPENING.match(text)
    if not opening:
        return None, "", "the file does not start with a --- frontmatter block"
    rest = text[opening.end():]
    closing = CLOSING.search("\n" + rest)
    if not closing:
        return None, "", "the frontmatter block is not closed with ---"
    yaml_text = rest[: max(0, closing.start())]
    body = rest[max(0, closing.start() - 1) + len(closing.group(0)):]
    try:
        data = yaml.load(yaml_text, Loader=_CoreSchemaLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        first = str(error).split("\n")[0]
        return None, "", f"frontmatter is not valid YAML ({first})"
    return data, body, None


#: What JavaScript's trim removes (WhiteSpace and LineTerminator); Python's strip also removes
#: \x1c-\x1f and \x85 and keeps U+FEFF, which would make the two readers disagree.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _js_trim(text: str) -> str:
    return text.strip(_JS_WHITESPACE)


def _grapheme_count(text: str) -> int:
    """Extended grapheme clusters, as far as a glyph needs: combining marks, variation selectors,
    emoji modifiers, tags and zero-width-joiner sequences join the character before them; two
    regional indicators make one flag."""
    count = 0
    joined = False
    regional_open = False
    for char in text:
        code = ord(char)
        extends = (
            unicodedata.category(char) in ("Mn", "Me", "Mc")
            or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or code == 0x200D
        )
        regional = 0x1F1E6 <= code <= 0x1F1FF
        if extends or joined or (regional and regional_open):
            joined = code == 0x200D
            regional_open = False
            continue
        count += 1
        joined = False
        regional_open = regional
    return count


def _text(value: Any, minimum: int, maximum: int) -> bool:
    if not isinstance(value, str):
        return False
    # Lengths in code points, as the bot's schema library counts them (Python's len does too).
    return minimum <= len(_js_trim(value)) <= maximum


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _list_of(pattern: re.Pattern[str], value: Any, maximum: int) -> bool:
    return isinstance(value, list) and len(value) <= maximum and all(_matches(pattern, item) for item in value)


def _is_schema_one(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value == PERSONA_SCHEMA_VERSION


# In the bot's schema's order, so the first failing key is the one both name.
_RULES = (
    ("schema", _is_schema_one),
    ("id", lambda value: _matches(ID_PATTERN, value)),
    ("category", lambda value: _matches(CATEGORY_PATTERN, value)),
    ("name", lambda value: _text(value, 1, PERSONA_NAME_MAX_CHARS)),
    (
        "glyph",
        lambda value: isinstance(value, str) and 1 <= _grapheme_count(value) <= PERSONA_GLYPH_MAX_GRAPHEMES,
    ),
    ("description", lambda value: _text(value, 1, PERSONA_DESCRIPTION_MAX_CHARS)),
    ("tags", lambda value: _list_of(TAG_PATTERN, value, 20)),
    ("version", lambda value: _matches(SEMVER_PATTERN, value)),
    ("default_model", lambda value: _matches(DEFAULT_MODEL_PATTERN, value)),
    ("default_memory_provider", lambda value: _matches(MEMORY_PROVIDER_PATTERN, value)),
    ("suggested_mcps", lambda value: _list_of(MCP_NAME_PATTERN, value, 25)),
    ("suggested_toolsets", lambda value: _list_of(TOOLSET_PATTERN, value, 25)),
)


def _check_meta(data: Any) -> Optional[str]:
    if not isinstance(data, dict):
        return "frontmatter (top): not a mapping"
    for key, rule in _RULES:
        if not rule(data.get(key)):
            return f"frontmatter {key}: invalid"
    # Optional means absent: `aliases:` left empty (null) fails the bot's schema too.
    if "aliases" in data and not _list_of(ID_PATTERN, data["aliases"], 10):
        return "frontmatter aliases: invalid"
    return None


def read_persona(
    root: str, category: str, file_name: str, accepted_hash: Optional[str] = None
) -> Tuple[Optional[Persona], Optional[str]]:
    """One file checked on its own (every rule but the clash of ids between files).

    ``accepted_hash``: the bot checked a file with these exact bytes when it placed the copy, so its
    rules are not run again here (a port of them can only disagree at the edges).
    """
    rel = f"{category}/{file_name}"
    path = os.path.join(root, category, file_name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > PERSONA_FILE_MAX_BYTES:
            return None, f"file is {size} bytes; the limit is {PERSONA_FILE_MAX_BYTES}"
        raw = handle.read(PERSONA_FILE_MAX_BYTES + 1)
    trusted = accepted_hash is not None and accepted_hash == "sha256:" + hashlib.sha256(raw).hexdigest()
    data, body, reason = split_frontmatter(raw.decode("utf-8", errors="replace"))
    if reason:
        return None, reason
    problem = None if trusted and isinstance(data, dict) else _check_meta(data)
    if problem:
        return None, problem
    meta = {key: data[key] for key in data if isinstance(key, str)}
    expected_id = file_name[: -len(".md")]
    if meta.get("id") != expected_id:
        return None, f"id '{meta.get('id')}' does not match the file name '{expected_id}'"
    if meta.get("category") != category:
        return None, f"category '{meta.get('category')}' does not match the folder '{category}'"
    body = _js_trim(body)
    if body == "":
        return None, "the body is empty"
    body_bytes = len(body.encode("utf-8"))
    if body_bytes > PERSONA_BODY_MAX_BYTES:
        return None, f"the body is {body_bytes} bytes; the limit is {PERSONA_BODY_MAX_BYTES}"
    return Persona(meta=meta, body=body, file=rel), None


def markdown_files(root: str) -> List[Tuple[str, str]]:
    """(category, file name) of every regular ``.md`` file one folder down, in path order."""
    found: List[Tuple[str, str]] = []
    try:
        categories = [entry for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return found
    for category in categories:
        if category.name.startswith("."):
            continue
        try:
            entries = list(os.scandir(category.path))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                found.append((category.name, entry.name))
    # The bot sorts whole paths by UTF-16 code units; category and name joined by "/" sort alike.
    found.sort(key=lambda pair: f"{pair[0]}/{pair[1]}".encode("utf-16-be"))
    return found


@dataclass
class LoadedLibrary:
    personas: List[Persona]
    by_key: Dict[str, Persona]
    skipped: List[Tuple[str, str]]


class PersonaLibrary:
    """The library folder, loaded whole and kept until a category folder changes (a file added,
    removed or replaced by rename changes its folder's mtime); a file edited in place is noticed
    when it is read for itself (``find``, ``read_active``: one stat each)."""

    def __init__(self, root: str, manifest: Optional[str] = None) -> None:
        self.root = root
        #: ``{"files": {"<category>/<id>.md": "sha256:<hex>"}}``: the files the bot checked and placed.
        self.manifest_path = manifest
        self._manifest: Tuple[Optional[Tuple[int, int]], Dict[str, str]] = (None, {})
        self._lock = threading.Lock()
        self._parsed: Dict[str, Tuple[Tuple[int, int], Optional[Persona], Optional[str]]] = {}
        self._loaded: Optional[LoadedLibrary] = None
        self._signature: Optional[Tuple[Tuple[str, int], ...]] = None

    def _accepted(self) -> Dict[str, str]:
        if not self.manifest_path:
            return {}
        try:
            stat = os.stat(self.manifest_path, follow_symlinks=False)
        except OSError:
            self._manifest = (None, {})
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._manifest[0] == stamp:
            return self._manifest[1]
        files: Dict[str, str] = {}
        try:
            with open(self.manifest_path, "rb") as handle:
                raw = handle.read(MANIFEST_MAX_BYTES + 1)
            data = json.loads(raw.decode("utf-8")) if len(raw) <= MANIFEST_MAX_BYTES else None
            listed = data.get("files") if isinstance(data, dict) else None
            if isinstance(listed, dict):
                files = {key: value for key, value in listed.items() if isinstance(key, str) and isinstance(value, str)}
        except (OSError, ValueError):
            files = {}
        # Files parsed under the old list may be judged differently now.
        self._parsed.clear()
        self._loaded = None
        self._manifest = (stamp, files)
        return files

    def _read_cached(self, category: str, file_name: str) -> Tuple[Optional[Persona], Optional[str]]:
        rel = f"{category}/{file_name}"
        try:
            stat = os.stat(os.path.join(self.root, category, file_name), follow_symlinks=False)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError as error:
            return None, f"cannot be read ({error.strerror})"
        cached = self._parsed.get(rel)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        persona, reason = read_persona(self.root, category, file_name, self._accepted().get(rel))
        self._parsed[rel] = (stamp, persona, reason)
        return persona, reason

    def _categories(self) -> Tuple[Tuple[str, int], ...]:
        try:
            entries = [
                entry
                for entry in os.scandir(self.root)
                if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
            ]
            return tuple(sorted((entry.name, entry.stat(follow_symlinks=False).st_mtime_ns) for entry in entries))
        except OSError:
            return ()

    def load(self) -> LoadedLibrary:
        with self._lock:
            self._accepted()
            signature = self._categories()
            if self._loaded is not None and signature == self._signature:
                return self._loaded
            files = markdown_files(self.root)
            live = {f"{category}/{name}" for category, name in files}
            for stale in [rel for rel in self._parsed if rel not in live]:
                del self._parsed[stale]
            personas: List[Persona] = []
            by_key: Dict[str, Persona] = {}
            skipped: List[Tuple[str, str]] = []
            for category, name in files:
                persona, reason = self._read_cached(category, name)
                if persona is None:
                    skipped.append((f"{category}/{name}", reason or "skipped"))
                    continue
                keys = [persona.id, *(persona.meta.get("aliases") or [])]
                clash = next((key for key in keys if key in by_key), None)
                if clash:
                    skipped.append((persona.file, f"id or alias '{clash}' is already used by {by_key[clash].file}"))
                    continue
                for key in keys:
                    by_key[key] = persona
                personas.append(persona)
            self._loaded = LoadedLibrary(personas=personas, by_key=by_key, skipped=skipped)
            self._signature = signature
            return self._loaded

    def find(self, key: str) -> Optional[Persona]:
        """A persona by id or alias, its own file read again if it changed since it was loaded."""
        known = self.load().by_key.get(key)
        if known is None:
            return None
        category, file_name = known.file.split("/", 1)
        with self._lock:
            self._accepted()
            fresh, _reason = self._read_cached(category, file_name)
        # Edited into something the library would skip, or into another persona: not this one now.
        return fresh if fresh is not None and fresh.id == known.id else None

    def read_active(self, persona_id: str) -> Optional[Persona]:
        """The active persona's own file, read again if it changed since the last request.

        Cheaper than a whole load (one stat per category when nothing changed): the file of an id
        is ``<category>/<id>.md``, the first in path order, as a whole load keeps it. When that file
        does not pass, the whole library decides (another file, or an alias, may hold the id).
        """
        if not ID_PATTERN.fullmatch(persona_id):
            return None
        with self._lock:
            self._accepted()
            file_name = f"{persona_id}.md"
            for category, _mtime in self._categories():
                path = os.path.join(self.root, category, file_name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                persona, _reason = self._read_cached(category, file_name)
                if persona is not None:
                    return persona
                break
        return self.find(persona_id)
