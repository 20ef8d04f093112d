"""Sphinx configuration for the nnbook site (sources in ``docs/``)."""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mathjax_assets import mathjax_static_dir  # noqa: E402
from nbhooks import engine_fingerprint, setup_hooks  # noqa: E402

project = "nnbook"
author = "The nnbook authors"
copyright = "2026, the nnbook authors"
release = version = "0.1"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinxcontrib.bibtex",
    "sphinx_exercise",
    # Folds every solution until the reader opens it (sphinx-exercise marks
    # solutions with the class "solution"; the selector below covers them all).
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "mathjax_prerender",  # the maths typeset at build time: no maths script in the pages
    "mathjax_assets",  # deletes the MathJax files the pages never load
    "page_weight",  # figures sized and lazy below the fold; PNGs with a palette
    "pdf_book",  # make pdf: the single page the PDF is printed from; the site's link to it
]
# The default selector plus every sphinx-exercise solution, with or without
# ``:class: dropdown``: no chapter can forget to fold one.
togglebutton_selector = ".toggle, .admonition.dropdown, .admonition.solution"

# The repository's public address: only the publishing workflow knows it
# (.github/workflows/pages.yml sets NNBOOK_REPOSITORY_URL from github.server_url
# and github.repository). With it, the landing page links the repository (the
# tag "repository" for its ``only`` directive) and each downloaded notebook's
# first cell says where to install from; a local build names no address, and
# two local builds stay byte-identical.
nnbook_repository_url = os.environ.get("NNBOOK_REPOSITORY_URL", "").strip()
myst_substitutions = {"repository": f"<{nnbook_repository_url}>" if nnbook_repository_url else ""}
if nnbook_repository_url:
    tags.add("repository")  # noqa: F821 (Sphinx gives conf.py its tags)

exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
nitpicky = True
# No intersphinx (the build is offline): types from NumPy, matplotlib and the
# standard library are named in signatures but have no page here to link to.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|matplotlib|collections\.abc|typing)\..*"),
    (r"py:.*", r"(ndarray|Array|ArrayLike|Axes|Figure|Generator|Callable|Sequence|Iterable|Any)"),
    (r"py:.*", r"(optional|array-like|array_like|callable|sequence)"),
    (r"py:.*", r"(int|float|str|bool|dict|list|tuple)"),
    (r"py:.*", r"(RngLike|Grads|BackwardFn|Module|Tensor|Path|InitLike|DTypeLike)"),
    (r"py:class", r"nnbook(\.\w+)*\._\w+"),  # private helper types and bases
    # NumPy-style type specs such as "ndarray of shape (n_out, d)" are split at
    # commas into pieces like "n_out" or "epochs + 1": never class names here.
    (r"py:class", r"[a-z_0-9][\w +*/-]*"),
    (r"py:.*", r".*\bor\b.*|.*\bof\b.*|.*\bshape\b.*|.*default.*"),
]
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- MyST and notebook execution --------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
numfig = True
math_numfig = True
math_eqref_format = "({number})"
numfig_format = {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s"}

# Chapters execute two at a time on two cores (`make html` runs jupyter-cache's
# parallel executor before Sphinx): one BLAS thread per kernel is faster than
# oversubscribing, and makes floating-point sums reproducible.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# The same kernels on every x86-64 machine (the Makefile says why).
if platform.machine() == "x86_64":
    os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
    os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL AVX512_SPR")

nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
# The cache key of a notebook is its code; the engine it imports is not part of
# it. Putting the engine's fingerprint in the cache path (a config value) makes
# Sphinx re-read every chapter and jupyter-cache re-execute them whenever any
# file under nnbook/ changes, and keeps the cache of an unchanged engine valid.
_cache_root = Path(os.environ.get("NNBOOK_CACHE_DIR", ROOT / "_build" / ".jupyter_cache"))
nb_execution_cache_path = str(_cache_root / engine_fingerprint(ROOT / "nnbook"))
nb_merge_streams = True
nb_execution_excludepatterns: list[str] = []
nb_kernel_rgx_aliases = {".*": "python3"}

# --- bibliography -------------------------------------------------------------
bibtex_bibfiles = [str(ROOT / "docs" / "references.bib")]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# --- HTML ----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
# The theme's webpack-macros.html without fontawesome.js (1.56 MB, a third of a
# chapter's bytes): the theme's own stylesheet draws every icon from its Font
# Awesome web fonts (tests/test_site_pages.py checks the copy against the theme's).
templates_path = [str(ROOT / "conf" / "_templates")]
html_title = "nnbook: the basics of neural networks, executed"
# The maths is typeset at build time by MathJax 3 (conf/mathjax_prerender.py);
# the site serves only the fonts its formulas use (conf/mathjax_assets.py).
html_math_renderer = "mathjax_prerender"
html_static_path = [str(ROOT / "docs" / "_static"), mathjax_static_dir()]
html_css_files = ["nnbook.css"]
# A figure opens at full size on a click; a table too wide for its column stacks its rows.
html_js_files = [("nnbook.js", {"defer": "defer"})]
# With an icon declared, browsers don't ask for /favicon.ico outside the book's sub-path.
html_favicon = str(ROOT / "docs" / "_static" / "favicon.svg")
# Search ranks a page whose title holds every query word first (see the file).
html_search_scorer = str(ROOT / "conf" / "search_scorer.js")
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = True
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_source_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    # The licences, once on every page: the footer names no author twice either.
    "footer_content_items": ["copyright.html", "extra-footer.html"],
    "extra_footer": (
        'Text and figures: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.'
        " Code (the nnbook engine and every code cell): MIT."
    ),
    "navigation_with_keys": False,
    # One search box: the sidebar's on a wide screen, the header's button on a
    # narrow one (pydata-sphinx-theme 0.20 adds a second field to the header).
    "navbar_persistent": [],
}
html_context = {"default_mode": "light"}

# The public modules list names whose code is in private modules (nnbook.nn.Linear
# is in nnbook/nn/_layers.py); the API page documents them at their public home,
# so viewcode must not follow them to the private module, whose source page would
# link anchors that do not exist (api.html#nnbook.nn._layers.Linear).
viewcode_follow_imported_members = False

# --- autodoc -------------------------------------------------------------------
autodoc_member_order = "bysource"
# The NumPy docstrings give every parameter's type in words ("ndarray of shape
# (n, d)"). Type hints in the description too would add a second Parameters
# list; in the signature they would spell out NumPy's ArrayLike union
# (``_Buffer | _SupportsArray[...]``). The signature shows names and defaults.
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_param = False
napoleon_use_ivar = True


def _public(base):
    """``base``, or, if it is private, its own bases that are public."""
    if getattr(base, "__name__", "").startswith("_"):
        return [public for parent in base.__bases__ for public in _public(parent)]
    return [base]


def public_bases(app, name, obj, options, bases):
    """Name a class's public bases on the API page: a private base (``_Activation``)
    gives way to its own bases, and ``object`` is left out."""
    found = [public for base in bases for public in _public(base)]
    bases[:] = [b for i, b in enumerate(found) if b is not object and b not in found[:i]]


# viewcode drops a module's entry when the page being read again was the last to
# use one of its objects, and also every entry that no page uses: a package such as
# nnbook.nn, whose names are defined in private modules, has such an entry. A clean
# build lists it under _modules/; without this, a rebuild after any edit would not.
_unused_sources: dict = {}


def _keep_unused_sources(app, env, docname):
    """Before viewcode's env-purge-doc: note the entries that no page uses."""
    modules = getattr(env, "_viewcode_modules", {})
    _unused_sources.update({name: e for name, e in modules.items() if e and not e[2]})


def _restore_unused_sources(app, env, docname):
    """After viewcode's env-purge-doc: put back the entries it dropped for being unused."""
    modules = getattr(env, "_viewcode_modules", None)
    if modules is not None:
        for name, entry in _unused_sources.items():
            modules.setdefault(name, entry)
    _unused_sources.clear()


def _flat_module_index(app, pagename, templatename, context, doctree):
    """viewcode nests a package's modules as a <ul> directly inside the outer <ul>
    (not inside an <li>), which is invalid HTML (axe-core: list); list them flat."""
    if pagename == "_modules/index" and "body" in context:
        heading, _, rest = context["body"].partition("<ul>")
        items = re.findall(r"<li><a href=\"[^\"]*\">[^<]*</a></li>", rest)
        context["body"] = heading + "<ul>" + "\n".join(items) + "</ul>"


def _interactive_assets(app, pagename, templatename, context, doctree):
    """The interactive figures' script and style (nnbook.book.interactive), on the pages
    that have one only: the other pages load neither."""
    if 'class="nnbook-interactive"' in context.get("body", ""):
        app.add_css_file("nnbook-interactive.css")
        app.add_js_file("nnbook-interactive.js", defer="defer")


def _fresh_source_pages(app):
    """viewcode writes a module's source page only when the page is older than the
    module's file, so a change of template, theme or configuration left the old pages
    in place (after the icon script was dropped, an incremental build kept loading it
    on every _modules page). Removing them before each build has them written anew:
    about twenty pages, the same bytes as a clean build's."""
    if app.builder.name == "html":
        shutil.rmtree(Path(app.outdir) / "_modules", ignore_errors=True)


def setup(app):
    setup_hooks(app, ROOT)
    app.connect("builder-inited", _fresh_source_pages)
    app.connect("html-page-context", _interactive_assets)
    app.connect("html-page-context", _flat_module_index)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("env-purge-doc", _keep_unused_sources, priority=400)
    app.connect("env-purge-doc", _restore_unused_sources, priority=600)
