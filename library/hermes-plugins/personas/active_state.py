"""Which persona is active: the profile's default and each session's own choice.

The default is ``state.json`` (``{"default": id | null}``), written by agent-blueprint when it
installs the plugin and by ``persona_apply`` with scope ``default``. Each session's choice is a file
of its own under ``sessions/``. So no write ever reads, changes and writes back a shared file: a
gateway, a CLI session and the bot writing at the same moment cannot lose each other's changes
(two defaults set at once: the later one holds). Every write goes to a temporary file in the same
folder and is renamed over the old one, so a reader or a crash sees the old file or the new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Optional

STATE_FILE = "state.json"
SESSIONS_FOLDER = "sessions"
#: A state or session file larger than this is not the plugin's and is read as empty.
STATE_FILE_MAX_BYTES = 4 * 1024
#: Session choices kept; the ones made longest ago are forgotten first (those sessions get the default).
SESSIONS_MAX = 500
#: A session id longer than this is not Hermes' (its ids are a few dozen characters).
SESSION_ID_MAX_CHARS = 256
#: What a session records to say "no persona here", overriding the default.
NO_PERSONA = ""


def _read_json(path: str) -> Optional[dict]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(STATE_FILE_MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > STATE_FILE_MAX_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: str, data: dict) -> None:
    folder = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class ActiveState:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.state_path = os.path.join(folder, STATE_FILE)
        self.sessions = os.path.join(folder, SESSIONS_FOLDER)

    def _session_path(self, session_id: str) -> str:
        # Hashed: a session id is Hermes' text, never a path.
        return os.path.join(self.sessions, hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:40] + ".json")

    def default(self) -> Optional[str]:
        data = _read_json(self.state_path) or {}
        value = data.get("default")
        return value if isinstance(value, str) and value else None

    def session_choice(self, session_id: str) -> Optional[str]:
        """The session's own choice: an id, NO_PERSONA, or None when it made none."""
        if not session_id or len(session_id) > SESSION_ID_MAX_CHARS:
            return None
        data = _read_json(self._session_path(session_id))
        chosen = data.get("id") if data else None
        return chosen if isinstance(chosen, str) else None

    def active(self, session_id: str) -> Optional[str]:
        """The session's choice if it made one, else the default; None when no persona is active."""
        chosen = self.session_choice(session_id)
        if chosen is not None:
            return chosen or None
        return self.default()

    def choose(self, persona_id: Optional[str], scope: str, session_id: str) -> None:
        if scope == "default":
            _write_json(self.state_path, {"default": persona_id})
            # The default now holds for this session too, rather than an older choice of its own.
            if session_id and len(session_id) <= SESSION_ID_MAX_CHARS:
                try:
                    os.unlink(self._session_path(session_id))
                except OSError:
                    pass
            return
        if not session_id or len(session_id) > SESSION_ID_MAX_CHARS:
            raise ValueError("session id missing or too long")
        os.makedirs(self.sessions, exist_ok=True)
        _write_json(self._session_path(session_id), {"id": persona_id or NO_PERSONA})
        self._forget_oldest()

    def _forget_oldest(self) -> None:
        try:
            entries = [entry for entry in os.scandir(self.sessions) if entry.name.endswith(".json")]
        except OSError:
            return
        if len(entries) <= SESSIONS_MAX:
            return
        entries.sort(key=lambda entry: entry.stat(follow_symlinks=False).st_mtime_ns)
        for entry in entries[: len(entries) - SESSIONS_MAX]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
