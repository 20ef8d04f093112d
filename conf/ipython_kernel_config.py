"""What the kernels of .venv read when they start (``make venv`` copies this file
to ``.venv/etc/ipython/``, IPython's configuration directory for that Python).

ipykernel 7.4 logs, once per kernel, that its sockets are TCP without
encryption: a build printed it once per chapter. The kernels the build and the
tests start listen on 127.0.0.1 only, each for the one notebook it runs, and
their messages are signed with a key in a file only the user can read; the
warning says nothing the build can act on, so it is dropped. Every other
message of the kernel is printed as before.
"""

import logging


class _NoTcpEncryptionWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


# traitlets names an application's logger after its class.
logging.getLogger("IPKernelApp").addFilter(_NoTcpEncryptionWarning())
