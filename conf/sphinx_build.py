"""``sphinx-build`` without the cyclic garbage collector and without the
interpreter's teardown (what ``make`` runs).

A build allocates docutils trees by the ten thousand (every doctree that
Sphinx unpickles to number figures, resolve references or write a page), and
the collector, set off by each burst of allocations, walks the whole heap
again: unpickling the API page's doctree took 0.43 s with it and 0.09 s
without. Without it a no-op rebuild took 3.0 to 3.5 s instead of 5.0 to 5.6 s,
a rebuild of one chapter from the cache 5.3 to 5.9 s instead of 8.9 s, and
the peak memory of a clean build stayed at 307 MB: the process lives for one
build, so the few cycles it leaves go with the process. Sphinx's parallel
workers are forked from this process and inherit the setting; the chapters'
kernels are programs of their own and keep their collector.

Before Sphinx starts, the helper that runs uncached chapters is launched
(conf/prexecute.py), about 0.4 s sooner than the extension's setup could.

When the build has finished, Python's shutdown would still free the build's
objects one by one (about 1.3 s of a 6 s no-op rebuild on this machine). Here
the exit handlers run (logging, multiprocessing), the streams are flushed,
and the process ends with Sphinx's own exit status.
"""

from __future__ import annotations

import gc

gc.disable()  # before Sphinx and its extensions are imported: they allocate too

import atexit  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from sphinx.cmd.build import main  # noqa: E402

if __name__ == "__main__":
    import prexecute  # this folder's: the build's extension, which takes the helper on

    prexecute.start_early(sys.argv[1:])  # chapters can start running while Sphinx loads
    status = main(sys.argv[1:])
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
