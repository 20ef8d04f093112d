"""The interactive figures in Chromium (issue 22; part of ``make browser``).

For each chapter's figure, at a phone's width (390 px) and a laptop's (1280 px): every
control is moved with the keyboard only (arrow keys on a slider or a menu, Enter and
Space on a button), and what the figure then shows (its live label and the data-*
attributes the script sets) is compared with the engine's values embedded at build
and with the same quantities computed here, in NumPy. No console error, no request
to any host but the local server, no sideways scroll at 390 px, SVG text at least
8 px tall at 390 px and 10 px at 1280 px. Screenshots before and after moving the
controls, light and dark, go to ``$NNBOOK_SCREENSHOTS/interactive``.

The site is ``_build/html`` or ``$NNBOOK_SITE``, served on 127.0.0.1; Chromium is
Debian's (``$NNBOOK_CHROMIUM``).
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.browser_support import served_site_and_chromium

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NNBOOK_SITE", ROOT / "_build" / "html")).resolve()
SHOTS = Path(os.environ.get("NNBOOK_SCREENSHOTS", ROOT / "_build" / "screenshots")).resolve()
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
WIDTHS = (390, 1280)
SMALLEST_PX = {390: 8.0, 1280: 10.0}
FIGURES = {
    "neuron": "ifig-neuron",
    "learning-rate": "ifig-learning-rate",
    "initialization": "ifig-initialization",
    "loss": "ifig-loss",
    "chain-rule": "ifig-chain-rule",
}

# The smallest SVG text of the figure, in CSS px as shown: font size times the SVG's scale.
SMALLEST_TEXT = """(id) => {
    const sizes = [...document.querySelectorAll(`#${id} svg`)].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    });
    return Math.min(...sizes);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Any, str]]:
    with served_site_and_chromium(SITE, CHROMIUM) as served:
        yield served


class Figure:
    """One chapter's figure in a tab: keys to its controls, what it shows, the checks."""

    def __init__(self, browser: tuple[Any, str], page: str, width: int, theme: str = "light"):
        chromium, url = browser
        self.page, self.width, self.theme = page, width, theme
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.context = chromium.new_context(
            viewport={"width": width, "height": 900}, color_scheme=theme
        )
        self.context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
        tab = self.context.new_page()

        def route(r: Any) -> None:
            if r.request.url.startswith(url):
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort("blockedbyclient")

        tab.route("**/*", route)
        tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        tab.goto(url + page + ".html", wait_until="load")
        self.id = FIGURES[page]
        self.tab = tab
        self.figure = tab.locator(f"#{self.id}")
        self.figure.scroll_into_view_if_needed()
        tab.wait_for_selector(f"#{self.id}[data-ready=true]")
        self.data = json.loads(self.figure.locator("script.nnbook-ifig-data").text_content())

    def key(self, control: str, key: str, times: int = 1) -> None:
        """Focus a control (as Tab would) and press ``key``."""
        target = self.figure.locator(f'[data-control="{control}"]')
        target.focus()
        for _ in range(times):
            target.press(key)

    def press_button(self, step: int, key: str) -> None:
        button = self.figure.locator(f'button[data-step="{step}"]')
        button.focus()
        button.press(key)

    def attr(self, name: str) -> str:
        return self.figure.get_attribute(f"data-{name}") or ""

    def numbers(self, name: str) -> list[float]:
        return [float(v) for v in self.attr(name).split()]

    def shown(self, control: str) -> str:
        """The live value label of a slider (its <output>) or a menu's chosen option."""
        target = self.figure.locator(f'[data-control="{control}"]')
        if target.evaluate("el => el.tagName") == "SELECT":
            return target.evaluate("el => el.selectedOptions[0].textContent")
        output = self.figure.locator(f'[data-output="{control}"]').text_content() or ""
        assert target.get_attribute("aria-valuetext") == output  # what a screen reader says
        return output

    def readout(self) -> str:
        return self.figure.locator(".nnbook-ifig-readout").text_content() or ""

    def shot(self, when: str) -> None:
        folder = SHOTS / "interactive"
        folder.mkdir(parents=True, exist_ok=True)
        self.figure.screenshot(path=folder / f"{self.page}-{self.width}-{self.theme}-{when}.png")

    def finish(self) -> None:
        """The checks every figure passes, then the tab is closed."""
        try:
            smallest = self.tab.evaluate(SMALLEST_TEXT, self.id)
            assert smallest >= SMALLEST_PX[self.width], f"SVG text {smallest:.1f} px"
            scroll = self.tab.evaluate("document.scrollingElement.scrollWidth")
            assert scroll <= self.width, f"the page scrolls sideways: {scroll} px"
            box = self.figure.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= self.width
            assert not self.errors, self.errors
            assert not self.foreign, f"requests off the machine: {self.foreign}"
        finally:
            self.context.close()


def decode(code: str) -> list[float]:
    """A histogram's bar heights, from the figure's one-character encoding (0 to 1)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return [alphabet.index(c) / 61 for c in code]


def _num(text: str) -> float:
    return float(text.replace("−", "-"))


SIGMA = {
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "step": lambda z: float(z > 0),
}


@pytest.mark.parametrize("width", WIDTHS)
def test_neuron(browser, width: int) -> None:
    fig = Figure(browser, "neuron", width)
    d = fig.data
    points, labels = np.array(d["points"]), np.array(d["labels"])

    def check() -> None:
        w = np.array([_num(fig.shown("w1")), _num(fig.shown("w2"))])
        b, act = _num(fig.shown("b")), fig.shown("act")
        z = points @ w + b
        assert int(fig.attr("right")) == int(((z > 0).astype(int) == labels).sum())
        assert float(fig.attr("origin")) == pytest.approx(SIGMA[act](b), rel=5e-4, abs=1e-12)
        line = fig.numbers("line")
        if line:  # the decision line drawn is w·x + b = 0
            np.testing.assert_allclose(np.reshape(line, (2, 2)) @ w + b, 0, atol=0.01)
        assert f"{act}: output at the origin" in fig.readout()

    fig.shot("before")
    assert (fig.shown("w1"), fig.shown("w2"), fig.shown("b"), fig.shown("act")) == (
        "2", "1", "−1", "sigmoid"
    )  # fmt: skip
    assert int(fig.attr("right")) == len(points)  # the chapter's neuron: every point right
    check()
    fig.key("w1", "ArrowLeft", 3)
    assert fig.shown("w1") == "0.5"
    check()
    fig.key("w2", "ArrowLeft", 4)
    assert fig.shown("w2") == "−1"
    check()
    fig.key("b", "ArrowRight", 2)
    assert fig.shown("b") == "1"
    check()
    fig.key("act", "ArrowDown")
    assert fig.shown("act") == "tanh"
    check()
    fig.shot("after")
    fig.finish()


def _heavy_ball(coef, x0, lr, mu, steps, blowup):
    """Gradient descent with momentum (PyTorch's form) in NumPy: the losses."""
    coef, x, v, fs = np.array(coef), np.array(x0, dtype=float), np.zeros(2), []
    for _ in range(steps):
        fs.append(float((coef * x * x).sum()))
        v = mu * v + 2 * coef * x
        x = x - lr * v
        if np.abs(x).max() > blowup:
            break
    fs.append(float((coef * x * x).sum()))
    return fs


@pytest.mark.parametrize("width", WIDTHS)
def test_learning_rate(browser, width: int) -> None:
    fig = Figure(browser, "learning-rate", width)
    d = fig.data

    def check() -> None:
        lr, mu = _num(fig.shown("lr")), _num(fig.shown("mu"))
        fs = _heavy_ball(d["coef"], d["x0"], lr, mu, d["steps"], 1e4)
        assert float(fig.attr("final-loss")) == pytest.approx(fs[-1], rel=1e-3)
        assert int(fig.attr("steps")) == len(fs) - 1
        diverged = fs[-1] > fs[0]
        assert fig.attr("diverged") == str(diverged).lower()
        assert ("diverges" in fig.readout()) == diverged
        return diverged

    fig.shot("before")
    assert fig.shown("lr") == "0.4" and fig.shown("mu") == "0"
    assert not check()
    fig.key("lr", "ArrowRight", 2)  # η = 0.5 = 2/λ_max: the edge
    assert fig.shown("lr") == "0.5"
    check()
    fig.key("lr", "ArrowRight")  # η = 0.55, past 2/λ_max: diverges
    assert fig.shown("lr") == "0.55" and check()
    fig.shot("after")
    fig.key("mu", "ArrowDown")  # momentum 0.5 moves the limit to 0.75
    assert fig.shown("mu") == "0.5" and not check()
    fig.key("lr", "End")
    assert fig.shown("lr") == "1" and check()
    fig.finish()


@pytest.mark.parametrize("width", WIDTHS)
def test_initialization(browser, width: int) -> None:
    fig = Figure(browser, "initialization", width)
    d = fig.data

    def check() -> None:
        act, scheme = fig.shown("act"), fig.shown("scheme")
        gain, depth = fig.shown("gain"), int(fig.shown("depth"))
        ia = ["tanh", "relu"].index(act)
        isc = ["U(±1/√n)", "Xavier", "He"].index(scheme)
        ig = ["0.5", "1", "2"].index(gain)
        assert fig.numbers("act-rms") == d["arms"][ia][isc][ig][:depth]
        assert fig.numbers("grad-rms") == d["grms"][ia][isc][ig][depth - 1]
        rows = fig.figure.locator("svg").first.locator("text", has_text="layer ")
        assert rows.count() == depth
        assert fig.readout().startswith(f"Depth {depth}:")

    fig.shot("before")
    assert (fig.shown("act"), fig.shown("scheme"), fig.shown("gain"), fig.shown("depth")) == (
        "tanh", "Xavier", "1", "10"
    )  # fmt: skip
    check()
    # Xavier with tanh keeps the activations' scale within a factor 4 over ten layers.
    act_rms = fig.numbers("act-rms")
    assert 0.25 < act_rms[-1] / act_rms[0] < 1
    fig.key("gain", "ArrowUp")
    assert fig.shown("gain") == "0.5"
    check()
    assert fig.numbers("act-rms")[-1] < 0.01  # gain 0.5: the signal vanishes
    fig.key("depth", "ArrowLeft", 4)
    assert fig.shown("depth") == "6"
    check()
    fig.key("act", "ArrowDown")
    fig.key("scheme", "ArrowDown")
    fig.key("gain", "ArrowDown")
    assert (fig.shown("act"), fig.shown("scheme"), fig.shown("gain")) == ("relu", "He", "1")
    check()
    rms = fig.numbers("act-rms")  # He with ReLU: every layer alike
    assert max(rms) / min(rms) < 1.3
    fig.shot("after")
    alt = fig.figure.locator(".nnbook-ifig-alt").text_content() or ""
    fig.finish()
    # What the text alternative says, on the embedded values (tanh = 0, relu = 1; U, Xavier,
    # He = 0, 1, 2; gains 0.5, 1, 2 = 0, 1, 2; depth 10).
    arms, grms = d["arms"][0][1][1], d["grms"][0][1][1][9]
    assert all(a > b for a, b in itertools.pairwise(arms))  # narrowing with depth
    assert all(a < b for a, b in itertools.pairwise(grms))  # the other way
    assert d["arms"][0][1][0][-1] < 0.01  # gain 0.5: onto 0
    top = decode(d["acts"][0][1][2][-1])  # gain 2: the end bins are the tallest
    assert min(top[0], top[-1]) > max(top[1:-1])
    grms2 = d["grms"][0][1][2][9]  # gain 2: the gradient grows going down (about 3 times)
    assert grms2[0] / grms2[-1] > 2 and f"growing {grms2[0] / grms2[-1]:.2f} times" in alt
    assert d["arms"][0][1][2][-1] < 0.8  # spread towards -1 and 1, not piled at them
    he = d["arms"][1][2][1]
    assert 0.9 < min(he) and max(he) < 1.15
    xavier = d["arms"][1][1][1]
    assert (xavier[-1] / xavier[0]) ** (1 / 9) == pytest.approx(math.sqrt(0.5), abs=0.02)
    assert f"about {(xavier[-1] / xavier[0]) ** (1 / 9):.2f} per layer" in alt


def _losses(family: str, x: float, y: float) -> tuple[list[float], list[float]]:
    """The chapter's losses and their derivatives, from their formulas (δ = β = 2)."""
    if family == "regression":
        r = x - y
        huber = 0.5 * r * r if abs(r) <= 2 else 2 * (abs(r) - 1)
        smooth = 0.25 * r * r if abs(r) < 2 else abs(r) - 1
        values = [r * r, abs(r), huber, smooth]
        grads = [2 * r, float(np.sign(r)), float(np.clip(r, -2, 2)), float(np.clip(r / 2, -1, 1))]
        return values, grads
    s, m = 1 / (1 + math.exp(-x)), (2 * y - 1) * x
    values = [math.log1p(math.exp(-x)) * y + math.log1p(math.exp(x)) * (1 - y),
              max(0.0, 1 - m), (s - y) ** 2]  # fmt: skip
    grads = [s - y, -(2 * y - 1) if m <= 1 else 0.0, 2 * (s - y) * s * (1 - s)]
    return values, grads


@pytest.mark.parametrize("width", WIDTHS)
def test_loss(browser, width: int) -> None:
    fig = Figure(browser, "loss", width)

    def check() -> None:
        family, x, y = fig.shown("family"), _num(fig.shown("x")), _num(fig.shown("target"))
        assert float(fig.attr("x")) == pytest.approx(x) and float(fig.attr("target")) == y
        values, grads = _losses(family, x, y)
        np.testing.assert_allclose(fig.numbers("values"), values, rtol=1e-3, atol=1e-12)
        np.testing.assert_allclose(fig.numbers("grads"), grads, rtol=1e-3, atol=1e-12)
        cells = fig.figure.locator("td[data-loss]").all_text_contents()
        np.testing.assert_allclose([_num(c) for c in cells], values, rtol=1e-3, atol=1e-12)

    fig.shot("before")
    assert (fig.shown("family"), fig.shown("target"), fig.shown("x")) == ("regression", "0", "1.5")
    check()
    fig.key("x", "ArrowRight", 8)  # past δ = 2: Huber and smooth L1 turn straight
    assert fig.shown("x") == "2.3"
    check()
    fig.key("target", "ArrowDown")
    assert fig.shown("target") == "1"
    check()
    fig.key("family", "ArrowDown")
    assert fig.shown("family") == "classification"
    check()
    fig.key("x", "Home")  # a confident mistake: z = −4 with label 1
    assert fig.shown("x") == "−4"
    check()
    fig.shot("after")
    fig.finish()


@pytest.mark.parametrize("width", WIDTHS)
def test_chain_rule(browser, width: int) -> None:
    fig = Figure(browser, "chain-rule", width)
    d = fig.data
    sig = 1 / (1 + math.exp(-1.0))
    ds = sig * (1 - sig)
    # Closed forms of the chapter: f = σ(s) with s = w0x0 + w1x1 + w2 = 1.
    want = {"out": 1.0, "s": ds, "x0": 2 * ds, "x1": -3 * ds, "w0": -ds, "w1": -2 * ds, "w2": ds}
    assert fig.attr("layout") == ("tall" if width < 600 else "wide")
    fig.shot("before")
    assert fig.attr("node") == "" and fig.shown("step") == "forward pass only"
    fig.press_button(1, "Enter")  # Next
    assert fig.attr("node") == "out" and float(fig.attr("grad")) == 1.0
    fig.press_button(1, " ")
    assert fig.attr("node") == "u"
    assert float(fig.attr("grad")) == pytest.approx(-1 / (1 + math.exp(-1.0)) ** 2, rel=1e-3)
    fig.press_button(-1, "Enter")  # Back
    assert fig.attr("node") == "out"
    order = []
    for k in range(1, len(d["steps"]) + 1):
        if k == len(d["steps"]):
            fig.key("step", "End")
        else:
            fig.key("step", "Home")
            fig.key("step", "ArrowRight", k)
        node, grad = fig.attr("node"), float(fig.attr("grad"))
        order.append(node)
        if node in want:
            assert grad == pytest.approx(want[node], rel=1e-3), node
        assert f"Step {k} of {len(d['steps'])}: {node}" in fig.readout()
        shown = fig.figure.locator(".ifig-grad").count()
        assert shown == k  # one more gradient written at each step
        if k == 6:
            fig.shot("after")
    # The engine's order: the output first, each node before its inputs.
    names = [n["name"] for n in d["nodes"]]
    parents = {n["name"]: {names[p] for p in n["parents"]} for n in d["nodes"]}
    assert order[0] == "out"
    for i, node in enumerate(order):
        assert not parents[node] & set(order[:i]), node
    assert len(order) == len(set(order)) == len(names)
    # On paper: no controls, the still frame after the last step, and its caption.
    fig.key("step", "Home")
    grads = f"document.querySelectorAll('#{fig.id} .ifig-grad').length"
    fig.tab.emulate_media(media="print")  # the media query's change event comes a frame later
    fig.tab.wait_for_function(f"{grads} === {len(d['steps'])}", timeout=5000)
    assert not fig.figure.locator(".nnbook-ifig-controls").is_visible()
    assert fig.figure.locator(".nnbook-ifig-print").is_visible()
    fig.tab.emulate_media(media="screen")
    fig.tab.wait_for_function(f"{grads} === 0", timeout=5000)  # where the reader left it
    fig.finish()


@pytest.mark.parametrize("page", list(FIGURES))
def test_dark_theme(browser, page: str) -> None:
    """The figure in the dark theme: its text takes the theme's colour, not black."""
    fig = Figure(browser, page, 1280, "dark")
    colour = fig.tab.evaluate(
        f"getComputedStyle(document.querySelector('#{fig.id} svg text.ifig-text')).fill"
    )
    assert colour not in ("rgb(0, 0, 0)", "#000000"), colour
    # On the page's own background (no light panel behind it), in the page's text colour.
    panel, text, body = fig.tab.evaluate(
        f"""() => {{
            const fig = document.querySelector('#{fig.id}');
            return [getComputedStyle(fig.parentElement).backgroundColor,
                    getComputedStyle(fig.querySelector('.nnbook-ifig-readout')).color,
                    getComputedStyle(document.body).color];
        }}"""
    )
    assert panel == "rgba(0, 0, 0, 0)" and text == body, (panel, text, body)
    fig.shot("dark")
    fig.finish()
