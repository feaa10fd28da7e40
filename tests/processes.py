"""Reading processes from Linux's ``/proc``, for tests and benchmarks that run rolebot as real processes."""

from __future__ import annotations

from pathlib import Path


def stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first, then the parent's pid,
    ..., user and system CPU ticks at 11 and 12), or None when the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()  # the name, in brackets, may itself hold spaces or brackets


def children(pid: int, command_holds: bytes = b"") -> list[int]:
    """The processes whose parent is ``pid`` (and whose command line holds ``command_holds``), sorted."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = stat_fields(int(entry.name))
        if fields is None or int(fields[1]) != pid:
            continue
        try:
            if command_holds in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile
    return sorted(found)


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, exited but not yet reaped, is not alive)."""
    fields = stat_fields(pid)
    return fields is not None and fields[0] != "Z"
