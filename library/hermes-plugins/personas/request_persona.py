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

#: Starts the added block, so a reader of the request can tell it from the rest of the prompt.
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


def _ends_with(existing: Any, block: str) -> bool:
    """The block is already the last thing there (a request seen twice). Only the end counts: the
    marker text elsewhere (a memory quoting it) must not stop the persona."""
    if isinstance(existing, str):
        return existing.endswith(block)
    if isinstance(existing, list) and existing:
        last = existing[-1]
        return isinstance(last, dict) and last.get("text") == block
    return False


def with_persona(request: Dict[str, Any], api_mode: str, block: str) -> Optional[Dict[str, Any]]:
    """The request with the block added to its system prompt, or None when its shape is unknown."""
    changed = dict(request)
    if api_mode == "anthropic_messages" or (api_mode != "bedrock_converse" and "system" in request):
        if _ends_with(request.get("system"), block):
            return None
        system = _append_text(request.get("system", ""), block)
        if system is None:
            return None
        changed["system"] = system
        return changed
    if api_mode == "bedrock_converse":
        system = request.get("system") or []
        if not isinstance(system, list) or _ends_with(system, block):
            return None
        changed["system"] = [*system, {"text": block}]
        return changed
    if isinstance(request.get("instructions"), str):
        if _ends_with(request["instructions"], block):
            return None
        changed["instructions"] = _append_text(request["instructions"], block)
        return changed
    messages = request.get("messages")
    if isinstance(messages, list):
        first = messages[0] if messages else None
        if isinstance(first, dict) and first.get("role") == "system":
            if _ends_with(first.get("content"), block):
                return None
            content = _append_text(first.get("content") or "", block)
            if content is None:
                return None
            changed["messages"] = [{**first, "content": content}, *messages[1:]]
        else:
            changed["messages"] = [{"role": "system", "content": block}, *messages]
        return changed
    return None
