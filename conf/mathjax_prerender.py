"""Maths typeset at build time: the pages carry MathJax's CHTML output, and the
reader's browser runs no maths script.

MathJax 3.2.2 (sphinx-mathjax-offline's copy, the one the site used to load)
runs inside V8, embedded in Python by mini-racer: no Node, no network, only
pip packages. Each formula becomes MathJax's own ``<mjx-container>`` markup,
with its assistive MathML for screen readers; each page gets, in its head, the
stylesheet of the characters and constructs its formulas use, and the fonts
are served from the site (``_static/mathjax/``, conf/mathjax_assets.py).

Why this route rather than KaTeX or MathML: the output is the same MathJax
typesetting the site showed before (same fonts, the same ``mjx-container``
elements that nnbook.css, the PDF's fitting and the browser tests measure),
from a package the build already pinned; KaTeX's fonts and stylesheet are not in
any maintained pip package (sphinxcontrib-katex loads them from a CDN), and
Chromium's native MathML needs an OpenType maths font the site would have to
ship, and lays out formulas differently from the PDF readers know.

V8 does not survive a fork, and Sphinx's parallel writer forks: every process
that renders maths runs its own typesetter in a child process
(``python conf/mathjax_prerender.py --serve``), spoken to over pipes, one JSON
line per formula.

A formula MathJax cannot typeset (an undefined macro, a missing brace) stops
the build with the TeX and MathJax's message; nothing is left for a script.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Where the page's stylesheet finds the fonts, relative to the site's root.
FONT_DIR = "_static/mathjax/output/chtml/fonts/woff-v2"
FONT_URL_PLACEHOLDER = "@@MATHJAX-FONTS@@"

# In the browser, MathJax scaled its formulas to the x-height of the text around
# them: 127.3 % of the text's size in the theme's font, as it measured on every
# page of the site before issue 21. Typeset in V8 there is nothing to measure:
# the scale is given.
SCALE = 1.273

# The book's macros: none so far (every macro the chapters use is MathJax's own;
# \boldsymbol comes from its boldsymbol package, loaded below). A macro added
# here is defined for every formula, as in LaTeX's preamble.
MACROS: dict[str, Any] = {}

SETUP_JS = r"""
var process = {env: {}, versions: {}};
// The speech-rule engine bundled in tex-chtml.js asks Node for an XML DOM when
// it finds no browser; it is never used here (no speech, no enrichment).
function require(name) {
  if (name === 'xmldom-sre')
    return {DOMImplementation: function () { this.createDocument = function () { return {}; }; }};
  return {install: function () {}};
}
var MathJax = {
  loader: {
    paths: {mathjax: '/mathjax'},
    load: ['adaptors/liteDOM', '[tex]/boldsymbol'],
    // The loader asks for a component by its path: evaluate the copy Python
    // passed in (SOURCES); nothing is fetched.
    require: function (file) {
      if (!(file in SOURCES)) throw new Error('MathJax asked for a file not passed in: ' + file);
      (0, eval)(SOURCES[file]);
      return {};
    }
  },
  tex: {
    packages: {'[+]': ['boldsymbol'], '[-]': ['noundefined']},
    macros: MACROS,
    formatError: function (jax, error) { throw error; }
  },
  chtml: {fontURL: FONT_URL, adaptiveCSS: true, scale: SCALE},
  startup: {typeset: false}
};
function typeset(tex, display) {
  return MathJax.tex2chtmlPromise(tex, {display: display}).then(
    function (node) { return {html: MathJax.startup.adaptor.outerHTML(node)}; },
    function (error) { return {error: String(error && error.message || error)}; });
}
function stylesheet() {
  return MathJax.startup.adaptor.textContent(MathJax.chtmlStylesheet());
}
function reset() {
  MathJax.startup.output.clearCache();
}
"""


def mathjax_dir() -> Path:
    from mathjax_assets import mathjax_package_dir

    return mathjax_package_dir()


class Typesetter:
    """MathJax in V8, in this process (used by the server below)."""

    def __init__(self) -> None:
        from py_mini_racer import MiniRacer

        mj = mathjax_dir()
        extensions = (mj / "input/tex/extensions").rglob("*.js")
        wanted = ["adaptors/liteDOM.js", *sorted(p.relative_to(mj).as_posix() for p in extensions)]
        sources = {f"/mathjax/{name}": (mj / name).read_text(encoding="utf-8") for name in wanted}
        self.ctx = MiniRacer()
        self.ctx.eval(f"var SOURCES = {json.dumps(sources)};")
        self.ctx.eval(f"var MACROS = {json.dumps(MACROS)};")
        self.ctx.eval(f"var FONT_URL = {json.dumps(FONT_URL_PLACEHOLDER)};")
        self.ctx.eval(f"var SCALE = {SCALE};")
        self.ctx.eval(SETUP_JS)
        self.ctx.eval((mj / "tex-chtml.js").read_text(encoding="utf-8"))
        self.ctx.eval("MathJax.startup.promise").get(timeout=60)

    def typeset(self, tex: str, display: bool) -> dict[str, str]:
        call = f"typeset({json.dumps(tex)}, {json.dumps(display)})"
        return dict(self.ctx.eval(call).get(timeout=60))

    def stylesheet(self) -> str:
        return str(self.ctx.eval("stylesheet()"))

    def reset(self) -> None:
        self.ctx.eval("reset()")


def serve() -> None:
    """Answer one JSON request per line on stdin, one JSON line on stdout."""
    typesetter = Typesetter()
    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        if op == "typeset":
            answer: dict[str, str] = typesetter.typeset(request["tex"], request["display"])
        elif op == "stylesheet":
            answer = {"css": typesetter.stylesheet()}
        elif op == "reset":
            typesetter.reset()
            answer = {}
        else:
            answer = {"error": f"unknown op {op}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


class MathError(Exception):
    """MathJax could not typeset a formula."""


class Client:
    """The typesetter of this process: a child process, started on first use."""

    _mine: Client | None = None
    _pid = 0
    _lock = threading.Lock()

    @classmethod
    def get(cls) -> Client:
        with cls._lock:
            if cls._mine is None or cls._pid != os.getpid():
                cls._mine, cls._pid = Client(), os.getpid()
            return cls._mine

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "conf"), str(ROOT)])}
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        atexit.register(self.close)

    def ask(self, **request: Any) -> dict[str, str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise MathError("the MathJax typesetter stopped (see its error above)")
        return dict(json.loads(line))

    def typeset(self, tex: str, display: bool) -> str:
        answer = self.ask(op="typeset", tex=tex, display=display)
        if "error" in answer:
            raise MathError(f"MathJax cannot typeset {tex!r}: {answer['error']}")
        return answer["html"]

    def stylesheet(self, font_url: str) -> str:
        return self.ask(op="stylesheet")["css"].replace(FONT_URL_PLACEHOLDER, font_url)

    def reset(self) -> None:
        self.ask(op="reset")

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


# --- Sphinx ---------------------------------------------------------------------


class _Page:
    """Which page this process is typesetting, and whether its stylesheet was
    taken: a formula typeset for a page after that would have no styles."""

    docname: str | None = None
    taken = False
    formulas = 0


def _typeset(translator: Any, tex: str, display: bool) -> str:
    from sphinx.errors import ExtensionError

    docname = translator.builder.current_docname
    client = Client.get()
    if docname != _Page.docname:
        client.reset()
        _Page.docname, _Page.taken, _Page.formulas = docname, False, 0
    elif _Page.taken:
        raise ExtensionError(
            f"{docname}: a formula typeset after the page's maths stylesheet was written: {tex!r}"
        )
    _Page.formulas += 1
    try:
        return client.typeset(tex, display)
    except MathError as error:
        location = translator.builder.env.doc2path(docname)
        raise ExtensionError(f"{location}: {error}") from None


def display_tex(node: Any) -> str:
    """The TeX of a display formula, as Sphinx's MathJax support hands it to
    MathJax: blank-line separated parts aligned, a part with ``\\\\`` split."""
    if node.get("no-wrap", node.get("nowrap", False)):
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = [r"\begin{split}" + p + r"\end{split}" if r"\\" in p else p for p in parts]
    if len(parts) > 1:
        return r"\begin{align}\begin{aligned}" + r"\\".join(body) + r"\end{aligned}\end{align}"
    return body[0] if body else ""


def visit_math(self: Any, node: Any) -> None:
    from docutils import nodes

    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_typeset(self, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: Any) -> None:
    from docutils import nodes
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node.get("no-wrap", node.get("nowrap", False)):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    # Focusable, as MathJax made it in the browser: a display formula wider than
    # a phone scrolls in its own box, which the keyboard must reach (axe-core).
    html = _typeset(self, display_tex(node), display=True)
    self.body.append(html.replace("<mjx-container ", '<mjx-container tabindex="0" ', 1))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _add_stylesheet(app: Any, pagename: str, template: str, context: dict, doctree: Any) -> None:
    """The page's maths stylesheet, in its head: the rules of the characters and
    constructs its formulas use, and the fonts' @font-face (served from the site)."""
    if _Page.docname != pagename or _Page.taken or not _Page.formulas:
        return
    _Page.taken = True
    font_url = context["pathto"](FONT_DIR, 1)
    css = Client.get().stylesheet(font_url)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<style id="MJX-CHTML-styles">\n{css}</style>\n'
    )


def setup(app: Any) -> dict[str, Any]:
    app.add_html_math_renderer("mathjax_prerender", (visit_math, None), (visit_displaymath, None))
    app.connect("html-page-context", _add_stylesheet)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    serve()
