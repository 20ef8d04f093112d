"""Run a command with the network unavailable: ``python conf/offline.py CMD [ARG...]``.

The command runs in a new network namespace (``unshare --net``, or with a user
namespace as well when not root) whose only interface is the loopback, brought
up so that local servers (the Jupyter kernels, the browser tests' web server)
still work. Before the command starts, a connection to a public address must
fail with "network unreachable": the proof that nothing can leave. Where the
machine allows no namespace (no root, user namespaces disabled), the command
runs with the network and a warning says so.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys

INSIDE = "NNBOOK_OFFLINE_INSIDE"
UNSHARE_VARIANTS = (["--net"], ["--user", "--map-root-user", "--net"])
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
IFREQ = "16sH22x"  # struct ifreq: the name, then the flags in a 24-byte union


def loopback_up() -> None:
    """``ip link set lo up`` without needing iproute2."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack(IFREQ, b"lo", 0)
        flags = struct.unpack(IFREQ, fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack(IFREQ, b"lo", flags | IFF_UP))


def network_unreachable() -> bool:
    """True when a public address cannot even be routed to (no packet leaves)."""
    try:
        socket.create_connection(("9.9.9.9", 53), timeout=3).close()
    except OSError as error:
        return error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH)
    return False


def unshare_flags() -> list[str] | None:
    """The first way of making a network namespace that works here."""
    if shutil.which("unshare") is None:
        return None
    for flags in UNSHARE_VARIANTS:
        probe = subprocess.run(["unshare", *flags, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return flags
    return None


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get(INSIDE):
        loopback_up()
        if not network_unreachable():
            print("offline: the network is still reachable inside the namespace", file=sys.stderr)
            return 1
        print(f"offline: no network for: {' '.join(command)}", file=sys.stderr)
        os.execvp(command[0], command)
    flags = unshare_flags()
    if flags is None:
        print(
            "offline: WARNING: this machine allows no network namespace (unshare needs root "
            f"or user namespaces); running WITH the network: {' '.join(command)}",
            file=sys.stderr,
        )
        os.execvp(command[0], command)
    os.environ[INSIDE] = "1"
    inner = ["unshare", *flags, sys.executable, os.path.abspath(__file__), *command]
    os.execvp(inner[0], inner)
    return 1  # not reached: exec replaces this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
