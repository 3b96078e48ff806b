"""Adds the active persona to the system prompt of one model request.

Hermes' ``llm_request`` middleware sees each request just before it is sent and may return a
changed copy. The persona is added there, not through ``pre_llm_call`` (which appends text to the
user's message and stores it with the turn): so nothing is stored in the session, every request
carries the persona's current text, and a change to the library file or a ``persona_apply`` shows
in the very next request. Where the system prompt sits depends on the provider's API mode.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from .persona_files import Persona

#: Marks the added block, so a request never gets it twice.
MARKER = "[persona-library]"


def persona_block(persona: Persona) -> str:
    name = persona.meta.get("name", persona.id)
    return (
        f"{MARKER} Active persona: {name} ({persona.id}). "
        "Follow it in this conversation; switch with persona_apply.\n\n"
        f"{persona.body}"
    )


def _append_text(existing: Any, block: str) -> Optional[Any]:
    if isinstance(existing, str):
        return f"{existing}\n\n{block}" if existing else block
    if isinstance(existing, list):
        # Content parts (OpenAI) or text blocks (Anthropic): one more text part after the others.
        return [*existing, {"type": "text", "text": block}]
    return None


def with_persona(request: Dict[str, Any], api_mode: str, block: str) -> Optional[Dict[str, Any]]:
    """The request with the block added to its system prompt, or None when its shape is unknown."""
    if MARKER in repr(request.get("system", "")) or MARKER in repr(request.get("instructions", "")):
        return None
    changed = dict(request)
    if api_mode == "anthropic_messages" or (api_mode != "bedrock_converse" and "system" in request):
        system = _append_text(request.get("system", ""), block)
        if system is None:
            return None
        changed["system"] = system
        return changed
    if api_mode == "bedrock_converse":
        system = request.get("system") or []
        if not isinstance(system, list):
            return None
        changed["system"] = [*system, {"text": block}]
        return changed
    if isinstance(request.get("instructions"), str):
        changed["instructions"] = _append_text(request["instructions"], block)
        return changed
    messages = request.get("messages")
    if isinstance(messages, list):
        first = messages[0] if messages else None
        if isinstance(first, dict) and first.get("role") == "system":
            if MARKER in repr(first.get("content")):
                return None
            content = _append_text(first.get("content") or "", block)
            if content is None:
                return None
            changed["messages"] = [{**first, "content": content}, *messages[1:]]
        else:
            changed["messages"] = [{"role": "system", "content": block}, *messages]
        return changed
    return None
