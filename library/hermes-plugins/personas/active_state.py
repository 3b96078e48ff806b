"""Which persona is active: the profile's default and each session's own choice.

Kept in ``state.json`` inside the plugin's folder, the only file the plugin writes. agent-blueprint
writes the first default when it installs the plugin; ``persona_apply`` changes it afterwards.
Writes go to a temporary file in the same folder and are renamed over the old one, so a reader (or
a crash) sees the old state or the new one, never half of it.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from typing import Any, Dict, Optional

STATE_FILE = "state.json"
STATE_FILE_MAX_BYTES = 256 * 1024
#: Sessions remembered; the oldest choice is forgotten first (its session falls back to the default).
SESSIONS_MAX = 500
#: What a session records to say "no persona here", overriding the default.
NO_PERSONA = ""


class ActiveState:
    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, STATE_FILE)
        self._lock = threading.Lock()

    def _read(self) -> Dict[str, Any]:
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read(STATE_FILE_MAX_BYTES + 1)
        except OSError:
            return {"default": None, "sessions": {}}
        if len(raw) > STATE_FILE_MAX_BYTES:
            return {"default": None, "sessions": {}}
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError:
            return {"default": None, "sessions": {}}
        if not isinstance(data, dict):
            return {"default": None, "sessions": {}}
        default = data.get("default")
        sessions = data.get("sessions")
        return {
            "default": default if isinstance(default, str) else None,
            "sessions": sessions if isinstance(sessions, dict) else {},
        }

    def _write(self, state: Dict[str, Any]) -> None:
        folder = os.path.dirname(self.path)
        fd, temporary = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(state, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise

    def active(self, session_id: str) -> Optional[str]:
        """The session's choice if it made one, else the default; None when no persona is active."""
        state = self._read()
        chosen = state["sessions"].get(session_id) if session_id else None
        if isinstance(chosen, dict) and isinstance(chosen.get("id"), str):
            return chosen["id"] or None
        return state["default"] or None

    def default(self) -> Optional[str]:
        return self._read()["default"] or None

    def choose(self, persona_id: Optional[str], scope: str, session_id: str) -> None:
        with self._lock:
            state = self._read()
            if scope == "default":
                state["default"] = persona_id
                # The default now holds; this session follows it rather than an older choice.
                state["sessions"].pop(session_id, None)
            else:
                state["sessions"][session_id] = {"id": persona_id or NO_PERSONA, "at": time.time()}
                if len(state["sessions"]) > SESSIONS_MAX:
                    ordered = sorted(
                        state["sessions"].items(),
                        key=lambda item: item[1].get("at", 0) if isinstance(item[1], dict) else 0,
                    )
                    state["sessions"] = dict(ordered[-SESSIONS_MAX:])
            self._write(state)
