"""The three tools the agent gets: persona_list, persona_get, persona_apply.

Results are JSON text, as Hermes expects from a tool. They carry ids, names and texts from the
library, never a path of the host. Arguments are bounded before they are used; ids must match the
library's id pattern, so no argument can name a file outside the library.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List

from .active_state import SESSION_ID_MAX_CHARS, ActiveState
from .persona_files import CATEGORY_PATTERN, ID_PATTERN, Persona, PersonaLibrary

TOOLSET = "personas"
#: Longest id, category or search text accepted (an id is at most 64 characters).
ARGUMENT_MAX_CHARS = 100
#: persona_list answers with at most this many personas; a larger match says how to narrow it.
LIST_RESULTS_MAX = 50
DESCRIPTION_PREVIEW_CHARS = 200
#: The id that clears the active persona (no library persona may use it).
CLEAR_IDS = ("none",)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

LIST_SCHEMA = {
    "name": "persona_list",
    "description": (
        "List specialist personas from the persona library: ids, names, categories and one-line "
        "descriptions. Narrow with category or search (words of the id, name, tags or description)."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "category": {"type": "string", "description": "Only this category, e.g. engineering."},
            "search": {"type": "string", "description": "Words to look for, e.g. 'security review'."},
        },
    },
}
GET_SCHEMA = {
    "name": "persona_get",
    "description": "Read one persona: its metadata and its full text (the specialist prompt).",
    "parameters": {
        "type": "object",
        "properties": {"id": {"type": "string", "description": "The persona's id (or an alias)."}},
        "required": ["id"],
    },
}
APPLY_SCHEMA = {
    "name": "persona_apply",
    "description": (
        "Make a persona active: its text joins your instructions from your next step on. "
        "scope 'session' (default) for this conversation only; 'default' changes it for every "
        "conversation of this agent that has not chosen its own (other people's chats included), "
        "so use it only when asked to. id 'none' clears it."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "description": "The persona's id (or an alias), or 'none'."},
            "scope": {"type": "string", "enum": ["session", "default"]},
        },
        "required": ["id"],
    },
}


def _error(message: str, **extra: Any) -> str:
    return json.dumps({"error": message, **extra}, ensure_ascii=False)


def _argument(args: Dict[str, Any], key: str) -> Any:
    value = args.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    value = value.strip()
    if len(value) > ARGUMENT_MAX_CHARS:
        raise ValueError(f"'{key}' is longer than {ARGUMENT_MAX_CHARS} characters")
    return value


def _summary(persona: Persona) -> Dict[str, Any]:
    meta = persona.meta
    description = str(meta.get("description", "")).strip()
    return {
        "id": persona.id,
        "name": meta.get("name"),
        "category": meta.get("category"),
        "glyph": meta.get("glyph"),
        "description": description[:DESCRIPTION_PREVIEW_CHARS],
    }


def _score(persona: Persona, terms: List[str]) -> int:
    """Every word must match (the last as a prefix); an exact word counts double."""
    total = 0
    for position, term in enumerate(terms):
        last = position == len(terms) - 1
        best = 0
        for weight, words in persona.search_words:
            for word in words:
                if word == term:
                    best = max(best, weight * 2)
                elif last and word.startswith(term):
                    best = max(best, weight)
        if best == 0:
            return 0
        total += best
    return total


class PersonaTools:
    def __init__(self, library: PersonaLibrary, state: ActiveState) -> None:
        self.library = library
        self.state = state

    def handlers(self) -> List[tuple[Dict[str, Any], Callable[..., str]]]:
        return [(LIST_SCHEMA, self.persona_list), (GET_SCHEMA, self.persona_get), (APPLY_SCHEMA, self.persona_apply)]

    def persona_list(self, args: Dict[str, Any], **_context: Any) -> str:
        try:
            category = _argument(args or {}, "category")
            search = _argument(args or {}, "search")
        except ValueError as problem:
            return _error(str(problem))
        loaded = self.library.load()
        personas = loaded.personas
        categories = sorted({persona.meta["category"] for persona in personas})
        if category:
            if not CATEGORY_PATTERN.fullmatch(category) or category not in categories:
                return _error(f"unknown category '{category}'", categories=categories)
            personas = [persona for persona in personas if persona.meta["category"] == category]
        terms = _WORD.findall(search.lower()) if search else []
        if terms:
            scored = [(score, persona) for persona in personas if (score := _score(persona, terms)) > 0]
            scored.sort(key=lambda pair: (-pair[0], pair[1].meta["category"], str(pair[1].meta["name"]).lower()))
            personas = [persona for _score_value, persona in scored]
        else:
            personas = sorted(personas, key=lambda p: (p.meta["category"], str(p.meta["name"]).lower()))
        shown = personas[:LIST_RESULTS_MAX]
        active = self.state.active(str(_context.get("session_id") or ""))
        result: Dict[str, Any] = {
            "personas": [_summary(persona) for persona in shown],
            "count": len(shown),
            "total": len(personas),
            "categories": categories,
            "active": active,
        }
        if active and self.library.read_active(active) is None:
            result["active_missing"] = "the active persona is no longer in the library; requests go without it until another is applied"
        if len(personas) > len(shown):
            result["note"] = f"only the first {LIST_RESULTS_MAX} are shown; narrow with category or search"
        return json.dumps(result, ensure_ascii=False)

    def _find(self, args: Dict[str, Any]) -> tuple[Persona | None, str | None]:
        try:
            wanted = _argument(args or {}, "id")
        except ValueError as problem:
            return None, _error(str(problem))
        if not wanted:
            return None, _error("give the persona's id, e.g. from persona_list")
        key = wanted.lower()
        if not ID_PATTERN.fullmatch(key):
            return None, _error(f"'{wanted}' is not a persona id (lowercase letters, digits and '-')")
        persona = self.library.find(key)
        if persona is None:
            return None, _error(f"no persona '{key}' in the library; persona_list shows the ids")
        return persona, None

    def persona_get(self, args: Dict[str, Any], **_context: Any) -> str:
        persona, problem = self._find(args)
        if problem or persona is None:
            return problem or _error("not found")
        meta = persona.meta
        result = {
            **_summary(persona),
            "description": meta.get("description"),
            "tags": meta.get("tags"),
            "aliases": meta.get("aliases") or [],
            "version": meta.get("version"),
            "suggested_toolsets": meta.get("suggested_toolsets"),
            "suggested_mcps": meta.get("suggested_mcps"),
            "default_model": meta.get("default_model"),
            "body": persona.body,
        }
        return json.dumps(result, ensure_ascii=False)

    def persona_apply(self, args: Dict[str, Any], **context: Any) -> str:
        args = args or {}
        scope = args.get("scope") or "session"
        if scope not in ("session", "default"):
            return _error("scope is 'session' or 'default'")
        session_id = str(context.get("session_id") or "")
        if scope == "session" and not session_id:
            return _error("this call has no session; use scope 'default'")
        if len(session_id) > SESSION_ID_MAX_CHARS:
            return _error("this session's id is too long to record a choice for; use scope 'default'")
        raw = args.get("id")
        if isinstance(raw, str) and raw.strip().lower() in CLEAR_IDS:
            self.state.choose(None, scope, session_id)
            return json.dumps({"active": None, "scope": scope, "applies": "from your next step"})
        persona, problem = self._find(args)
        if problem or persona is None:
            return problem or _error("not found")
        self.state.choose(persona.id, scope, session_id)
        return json.dumps(
            {
                "active": persona.id,
                "name": persona.meta.get("name"),
                "scope": scope,
                "applies": "from your next step: its text joins your instructions",
            },
            ensure_ascii=False,
        )
