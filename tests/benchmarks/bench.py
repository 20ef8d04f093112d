"""``make bench``: the engine and the build, against the real alternatives.

Runs ``bench_engine.py`` (one training step of nnbook against hand-written
NumPy, PyTorch eager and micrograd, at three scales) and ``bench_build.py``
(clean build, no-op rebuild, one chapter edited, the engine edited, and
``make test``), then prints one table, writes every number to
``_build/bench.json`` and draws ``_build/bench.png``. Each script's docstring
says how it measures. Options::

    --quick       engine only, 15 repeats (a minute)
    --no-build    skip the build benchmark
    --no-test     skip timing make test
    --out DIR     where bench.json and bench.png go (default _build)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# One BLAS/OpenMP thread, set before NumPy (imported by bench_engine) loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]  # the benches, then this checkout's engine

import argparse  # noqa: E402
import json  # noqa: E402
import textwrap  # noqa: E402
from typing import Any  # noqa: E402

import bench_build  # noqa: E402
import bench_engine  # noqa: E402

COLOURS = {
    "numpy": "#4c72b0",
    "nnbook": "#dd8452",
    "nnbook-raw": "#c44e52",
    "torch": "#55a868",
    "micrograd": "#8172b3",
}


def figure(report: dict[str, Any], path: Path) -> None:
    """Time per step per scale and contender (log scale, ratio to NumPy on each
    bar); beside it, the build cases against their targets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    build = report.get("build")
    fig, axes = plt.subplots(
        1, 2 if build else 1, figsize=(13 if build else 7.5, 4.8), squeeze=False,
        gridspec_kw={"width_ratios": [3, 2]} if build else None,
    )  # fmt: skip
    ax = axes[0, 0]
    scales = report["engine"]["scales"]
    names = list(COLOURS)
    width = 0.8 / len(names)
    for j, name in enumerate(names):
        for i, s in enumerate(scales):
            r = s["results"].get(name)
            if r is None:
                continue
            x = i + (j - (len(names) - 1) / 2) * width
            us = r["median_s"] * 1e6
            ax.bar(x, us, width, color=COLOURS[name], label=name if i == 0 else None)
            ax.errorbar(x, us, yerr=[[us - r["q1_s"] * 1e6], [r["q3_s"] * 1e6 - us]],
                        color="black", lw=0.8, capsize=2)  # fmt: skip
            ratio = r["ratio_to_numpy"]
            text = f"×{ratio:.2f}" if ratio < 100 else f"×{ratio:,.0f}"
            ax.annotate(text, (x, r["q3_s"] * 1e6), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8)  # fmt: skip
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * 4)  # room for the labels
    ax.set_xticks(range(len(scales)))
    ax.set_xticklabels([f"{s['name']}\n" + textwrap.fill(s["title"], 24) for s in scales],
                       fontsize=8)  # fmt: skip
    ax.set_ylabel("CPU time per training step (µs, log scale)")
    ax.set_title("One training step, 1 thread: time and ratio to hand-written NumPy", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", which="both", alpha=0.3)
    if build:
        ax = axes[0, 1]
        cases = build["cases"]
        labels = [f"{c['what']} ({c['executed']} executed)" for c in cases]
        colours = []
        for c in cases:
            target = build["targets"].get(c["case"])
            if c["returncode"]:
                colours.append("#c44e52")
            elif target is None:
                colours.append("#8c8c8c")
            else:
                colours.append("#55a868" if c["seconds"] <= target["limit_s"] else "#c44e52")
        ax.barh(range(len(cases)), [c["seconds"] for c in cases], color=colours)
        for k, c in enumerate(cases):
            target = build["targets"].get(c["case"])
            if target:
                ax.plot([target["limit_s"]] * 2, [k - 0.4, k + 0.4], color="black", lw=1.5)
            ax.annotate(f"{c['seconds']:.1f} s", (c["seconds"], k), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)  # fmt: skip
        ax.set_yticks(range(len(cases)))
        ax.set_yticklabels(labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("wall time (s); black tick: target; red: missed or failed")
        ax.set_title("Book build (-j 2) and make test", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="engine only, 15 repeats")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--no-test", action="store_true")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--out", type=Path, default=HERE.parents[1] / "_build")
    args = parser.parse_args()
    repeats = 15 if args.quick else args.repeats
    if repeats < 15:
        parser.error("--repeats must be at least 15")
    print("Engine benchmark...", file=sys.stderr, flush=True)
    report: dict[str, Any] = {"engine": bench_engine.run(repeats)}
    if not (args.quick or args.no_build):
        print("Build benchmark (a copy of the working tree)...", file=sys.stderr, flush=True)
        report["build"] = bench_build.run("all", with_test=not args.no_test)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2))
    figure(report, args.out / "bench.png")
    print()
    print(bench_engine.table(report["engine"]))
    if "build" in report:
        print()
        print(bench_build.table(report["build"]))
    print(f"\nWritten: {args.out / 'bench.json'}, {args.out / 'bench.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
