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
#: The files agent-blueprint checked and placed (see persona_files.PersonaLibrary).
MANIFEST = os.path.join(FOLDER, "accepted.json")


def register(ctx: Any) -> None:
    library = PersonaLibrary(LIBRARY_FOLDER, MANIFEST)
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

    missing_said: set = set()

    def add_active_persona(request: Dict[str, Any], session_id: str = "", api_mode: str = "", **_: Any) -> Optional[Dict[str, Any]]:
        active = state.active(session_id)
        if not active:
            return None
        persona = library.read_active(active)
        if persona is None:
            # Removed from the library or no longer valid: the request goes out without it, said
            # once per persona (persona_list tells the agent too).
            if active not in missing_said:
                missing_said.add(active)
                logger.warning("personas: the active persona %s is not in the plugin's library; requests go without it", active)
            return None
        changed = with_persona(request, api_mode, persona_block(persona))
        return None if changed is None else {"request": changed, "source": "personas", "reason": active}

    ctx.register_middleware("llm_request", add_active_persona)
