"""Claims of the initialization chapter, for the seeds and runs the page does not run.

The chapter trains a ReLU network with ten hidden layers of 64 units on two moons (full-batch
gradient descent, learning rate 0.05, 200 steps) from seed 0 and states that PyTorch's default
for ``nn.Linear`` stays at log 2 while Xavier and He train; that, run on at the same rate for
5000 steps, seeds 0 to 5 of the default start are all within 1e-3 of log 2 from step 100 to 2000,
that two of them (seeds 0 and 3) leave it, below log 2 - 0.01 from about steps 3400 and 3900,
and that the other four are still within 1e-3 of log 2 at step 5000; and that Adam at lr 1e-3
gets the default start off log 2 within 200 steps for each of these seeds.
It also states that the three-layer network started from He weights times 10 at learning rate
0.001 is slow (above log 2 at step 199), not stuck. A demonstration from one seed could be luck:
here other seeds must show the same.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from nnbook.book.datasets import two_moons
from nnbook.nn import MLP, init
from nnbook.nn.functional import binary_cross_entropy_with_logits
from nnbook.optim import SGD, Adam

X, Y = two_moons(200, noise=0.15, rng=0)  # the chapter's data
DEEP = [2] + [64] * 10 + [1]


def train_losses(
    init_: Any, seed: int, steps: int, lr: float, sizes: list[int] = DEEP, adam: bool = False
) -> list[float]:
    """Full-batch training on the chapter's data; the loss before each step (stops at inf/nan)."""
    net = MLP(sizes, activation="relu", init=init_, rng=seed)
    opt = Adam(net.parameters(), lr=lr) if adam else SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = binary_cross_entropy_with_logits(net(X).reshape(-1), Y)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            break
        loss.backward()
        opt.step()
    return losses


@pytest.mark.parametrize("seed", [1, 2])
def test_default_init_does_not_train_ten_relu_layers(seed: int) -> None:
    assert abs(train_losses(None, seed, 200, 0.05)[-1] - math.log(2)) < 1e-3


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("init_", ["xavier_normal", "kaiming_normal"])
def test_xavier_and_he_train_ten_relu_layers(init_: str, seed: int) -> None:
    assert train_losses(init_, seed, 200, 0.05)[-1] < 0.3


# The step from which each seed's loss is below log 2 - 0.01 within 5000 steps (None: never),
# on this machine; the chapter says "about step 3400 and step 3900".
PLATEAU_EXITS = {0: 3415, 1: None, 2: None, 3: 3888, 4: None, 5: None}


@pytest.mark.parametrize("seed", sorted(PLATEAU_EXITS))
def test_the_default_start_plateau_over_six_seeds(seed: int) -> None:
    """5000 steps from each of seeds 0 to 5 (about 15 s of one core each): all at log 2 from
    step 100 to step 2000; seeds 0 and 3 leave it (below 1e-3 by step 4999), the other four
    are still within 1e-3 of log 2 at step 5000."""
    losses = np.array(train_losses(None, seed, 5000, 0.05))
    assert np.all(np.abs(losses[100:2000] - math.log(2)) < 1e-3)  # seed 1 starts 2e-3 above
    below = losses < math.log(2) - 0.01
    exit_step = PLATEAU_EXITS[seed]
    if exit_step is None:
        assert not below.any() and abs(losses[-1] - math.log(2)) < 1e-3
    else:
        assert abs(int(np.argmax(below)) - exit_step) < 50
        assert losses[-1] < 1e-3


@pytest.mark.parametrize("seed", sorted(PLATEAU_EXITS))
def test_adam_gets_the_default_start_off_the_plateau(seed: int) -> None:
    assert train_losses(None, seed, 200, 1e-3, adam=True)[-1] < 0.05


def he_times_10(shape: tuple[int, ...], *, rng: Any, dtype: Any) -> np.ndarray:
    return 10 * init.kaiming_normal(shape, nonlinearity="relu", rng=rng, dtype=dtype)


@pytest.mark.parametrize("seed", [1, 2])
def test_he_times_10_at_a_small_rate_is_slow_not_stuck(seed: int) -> None:
    """He weights x10 at lr 0.001: above log 2 at step 199, below it and fitting by step 999."""
    losses = train_losses(he_times_10, seed, 1000, 0.001, sizes=[2, 32, 32, 32, 1])
    assert losses[199] > math.log(2)  # still above log 2 at the figure's last step
    assert min(losses) < math.log(2) and losses[-1] < 1e-3  # but not stuck
