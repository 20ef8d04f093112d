"""What only the book needs, beside the PyTorch-shaped engine: no PyTorch counterpart.

- :mod:`nnbook.book.neurons`: the single :class:`~nnbook.book.neurons.Neuron`,
  the Heaviside step, activations by name and their derivatives by the engine;
- :mod:`nnbook.book.perceptron`: McCulloch–Pitts units and the perceptron rule;
- :mod:`nnbook.book.schedules`: learning-rate schedules as plain functions of
  the step (the schedulers of :mod:`nnbook.optim.lr_scheduler` in closed form);
- :mod:`nnbook.book.range_test`: the learning-rate range test;
- :mod:`nnbook.book.datasets`: small synthetic data sets;
- :mod:`nnbook.book.plotting` and :mod:`nnbook.book.graph_drawing`: the
  book's figures (they import matplotlib);
- :mod:`nnbook.book.interactive`: the figures the reader drives, their
  values computed by the engine at build time.

Each is imported by name (``from nnbook.book.datasets import two_moons``);
this package imports none of them.
"""
