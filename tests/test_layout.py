"""The package's layout: PyTorch's paths, one home per name, imports in one direction.

The import graph is read from the source (``ast``), not from ``sys.modules``,
so an import hidden in a function body counts as much as one at the top.
Each module has a tier; a module may import only from its own tier or a
lower one, and the graph must have no cycle:

    _util, _graph -> _tensor -> autograd -> nn.functional -> nn.init -> nn
    -> optim -> optim.lr_scheduler -> book -> nnbook (the package)
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import nnbook

ROOT = Path(nnbook.__file__).parent

# The order of the layers; a module's tier is that of the longest matching prefix.
TIERS = [
    ("nnbook._util", 0),
    ("nnbook._graph", 0),
    ("nnbook._tensor", 1),
    ("nnbook.autograd", 2),
    ("nnbook.nn._reduction", 3),
    ("nnbook.nn.functional", 3),
    ("nnbook.nn.init", 4),
    ("nnbook.nn", 5),
    ("nnbook.optim", 6),
    ("nnbook.optim.lr_scheduler", 7),
    ("nnbook.book", 8),
    ("nnbook", 9),
]

# The public modules and what each holds (the engine spec's table).
PUBLIC = {
    "nnbook": {
        "Tensor",
        "tensor",
        "zeros",
        "ones",
        "empty",
        "no_grad",
        "is_grad_enabled",
        "maximum",
    },
    "nnbook.autograd": {
        "backward",
        "gradcheck",
        "numerical_grad",
        "topological_order",
        "retain_grads",
    },
    "nnbook.nn.functional": {
        "linear",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "softplus",
        "softmax",
        "log_softmax",
        "mse_loss",
        "l1_loss",
        "huber_loss",
        "smooth_l1_loss",
        "binary_cross_entropy",
        "binary_cross_entropy_with_logits",
        "nll_loss",
        "cross_entropy",
        "hinge_embedding_loss",
        "kl_div",
    },
    "nnbook.nn.init": {
        "calculate_gain",
        "zeros_",
        "ones_",
        "constant_",
        "uniform_",
        "normal_",
        "trunc_normal_",
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
        "orthogonal_",
        "variance_scaling",
        "lecun_normal",
        "lecun_uniform",
    },
    "nnbook.nn": {
        "Module",
        "Linear",
        "Sequential",
        "MLP",
        "ReLU",
        "Tanh",
        "Sigmoid",
        "LeakyReLU",
        "Softplus",
        "Identity",
        "MSELoss",
        "L1Loss",
        "HuberLoss",
        "SmoothL1Loss",
        "BCELoss",
        "BCEWithLogitsLoss",
        "NLLLoss",
        "CrossEntropyLoss",
        "HingeEmbeddingLoss",
        "KLDivLoss",
    },
    "nnbook.optim": {"Optimizer", "SGD", "Adam"},
    "nnbook.optim.lr_scheduler": {
        "LRScheduler",
        "StepLR",
        "ExponentialLR",
        "CosineAnnealingLR",
        "LinearLR",
        "CyclicLR",
        "LambdaLR",
    },
    "nnbook.book.perceptron": {"McCullochPitts", "perceptron_train"},
    "nnbook.book.schedules": {"step_schedule", "cosine_schedule", "triangular_schedule"},
    "nnbook.book.range_test": {"lr_range_test"},
    "nnbook.book.datasets": {"two_moons"},
    "nnbook.book.plotting": {"use_book_style"},
    "nnbook.book.graph_drawing": {"draw_graph"},
}


@functools.cache
def module_names() -> tuple[str, ...]:
    names = ["nnbook"]
    for info in pkgutil.walk_packages([str(ROOT)], prefix="nnbook."):
        names.append(info.name)
    return tuple(sorted(names))


def module_path(name: str) -> Path:
    parts = name.split(".")[1:]
    base = ROOT.joinpath(*parts)
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def tier(name: str) -> int:
    matches = [
        (len(prefix), t) for prefix, t in TIERS if name == prefix or name.startswith(prefix + ".")
    ]
    assert matches, f"{name} has no tier in TIERS"
    return max(matches)[1]


@functools.cache
def imports_of(name: str) -> list[tuple[str, int, bool]]:
    """The nnbook modules ``name`` imports: (module, line, at the top level of the file)."""
    modules = set(module_names())
    tree = ast.parse(module_path(name).read_text())
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from nnbook import nn`` imports the module nnbook.nn, not the package.
            targets = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                for a in node.names
            ]
        else:
            continue
        for t in targets:
            if t == "nnbook" or t.startswith("nnbook."):
                out.append((t, node.lineno, id(node) in top))
    return out


def graph() -> dict[str, set[str]]:
    return {name: {t for t, _, _ in imports_of(name)} for name in module_names()}


def test_every_module_has_a_tier() -> None:
    for name in module_names():
        tier(name)


def test_imports_go_down_the_tiers() -> None:
    upward = [
        f"{name}:{line} imports {target} (tier {tier(name)} -> {tier(target)})"
        for name in module_names()
        for target, line, _ in imports_of(name)
        if tier(target) > tier(name)
    ]
    assert not upward, "\n".join(upward)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """An import cycle of ``edges`` (module -> imported modules), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, nxt])):
                return cycle
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node, [node])):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check above can fail: an edge from _tensor up to nn closes a cycle."""
    edges = graph()
    edges["nnbook._tensor"] = {*edges["nnbook._tensor"], "nnbook.nn"}
    cycle = find_cycle(edges)
    assert cycle is not None and "nnbook._tensor" in cycle and "nnbook.nn" in cycle


def test_no_import_below_a_definition_or_inside_a_function() -> None:
    late = []
    for name in module_names():
        tree = ast.parse(module_path(name).read_text())
        seen_definition = False
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)):
                seen_definition = True
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and seen_definition:
                late.append(f"{name}:{node.lineno}")
        late += [f"{name}:{line} (in a body)" for _, line, top in imports_of(name) if not top]
    assert not late, "imports below a definition: " + ", ".join(late)


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_names_are_at_their_pytorch_path(module: str) -> None:
    mod = importlib.import_module(module)
    missing = sorted(n for n in PUBLIC[module] if not hasattr(mod, n))
    assert not missing, f"{module} lacks {missing}"
    assert set(PUBLIC[module]) <= set(mod.__all__), f"{module}.__all__ lacks some names"


def public_modules() -> list[str]:
    return [n for n in module_names() if not any(p.startswith("_") for p in n.split("."))]


def test_one_home_per_name() -> None:
    """Every public object is listed in the ``__all__`` of exactly one public module,
    and a module lists only what it defines or takes from a private module (the code
    of ``nnbook.nn.Linear`` is in ``nnbook/nn/_layers.py``): no public module
    re-exports another public module's names."""
    homes: dict[int, list[str]] = {}
    sideways = []
    for name in public_modules():
        mod = importlib.import_module(name)
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr)
            if inspect.ismodule(obj):
                assert obj.__name__.startswith(name + "."), f"{name} re-exports {obj.__name__}"
                continue
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            homes.setdefault(id(obj), []).append(f"{name}.{attr}")
            origin = obj.__module__
            private = any(part.startswith("_") for part in origin.split("."))
            if origin != name and not private:
                sideways.append(f"{name}.{attr} comes from {origin}")
    twice = [paths for paths in homes.values() if len(paths) > 1]
    assert not twice, f"names with several homes: {twice}"
    assert not sideways, "sideways re-exports: " + ", ".join(sideways)


def test_the_tensor_module_does_not_shadow_the_factory() -> None:
    assert callable(nnbook.tensor)
    assert nnbook.tensor([1, 2]).shape == (2,)
    assert nnbook.Tensor.__module__ == "nnbook._tensor"


def test_the_book_package_is_not_imported_by_the_engine() -> None:
    """``import nnbook`` must not bring matplotlib (the book package's plotting)."""
    for name in module_names():
        if name.startswith("nnbook.book") or name == "nnbook.book":
            continue
        assert not [t for t in graph()[name] if t.startswith("nnbook.book")], name


def test_the_api_page_has_one_section_per_module_and_no_exclude_lists() -> None:
    api = (ROOT.parent / "docs" / "api.md").read_text()
    documented = re.findall(r"^\.\. automodule:: (\S+)$", api, re.M)
    assert sorted(documented) == sorted(public_modules())
    assert ":exclude-members:" not in api and "no-index-entry" not in api
