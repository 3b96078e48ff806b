"""agent-blueprint's personas plugin for Hermes: the persona library as the agent's own tools.

Everything it reads and writes is inside this folder: ``library/`` (a copy of the bot's persona
library, placed by the bot) and ``state.json`` (the active persona). See README.md.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional

from .active_state import ActiveState
from .persona_files import PersonaLibrary
from .persona_tools import TOOLSET, PersonaTools
from .request_persona import persona_block, with_persona

logger = logging.getLogger(__name__)

FOLDER = os.path.dirname(os.path.abspath(__file__))
LIBRARY_FOLDER = os.path.join(FOLDER, "library")


def register(ctx: Any) -> None:
    library = PersonaLibrary(LIBRARY_FOLDER)
    state = ActiveState(FOLDER)
    tools = PersonaTools(library, state)
    for schema, handler in tools.handlers():
        ctx.register_tool(
            name=schema["name"],
            toolset=TOOLSET,
            schema=schema,
            handler=handler,
            description=schema["description"],
            emoji="🎭",
        )

    def add_active_persona(request: Dict[str, Any], session_id: str = "", api_mode: str = "", **_: Any) -> Optional[Dict[str, Any]]:
        active = state.active(session_id)
        if not active:
            return None
        persona = library.read_active(active)
        if persona is None:
            # Removed from the library or no longer valid: the request goes out without it.
            logger.debug("personas: active persona %s is not in the library", active)
            return None
        changed = with_persona(request, api_mode, persona_block(persona))
        return None if changed is None else {"request": changed, "source": "personas", "reason": active}

    ctx.register_middleware("llm_request", add_active_persona)
