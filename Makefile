# nnbook: `make html` builds the book, `make test` runs every test.
# Both create .venv and install the pinned dependencies first, so each works
# as the first command on a machine with only Python 3.11 and pip.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
PINS := conf/constraints.txt
JOBS ?= 2
SPHINXOPTS = -c conf -n -W --keep-going -j $(JOBS)
SPHINXBUILD = $(BIN)/sphinx-build -b html $(SPHINXOPTS)
PDF := $(BUILD)/pdf
DOCS := docs
# The executed chapters: MyST notebooks, whose front matter names a kernel.
CHAPTERS = $(shell grep -l '^kernelspec:' $(DOCS)/*.md)
# conf.py's jupyter cache (its path holds the engine's fingerprint; NNBOOK_CACHE_DIR moves it).
CACHE_PATH = $(BIN)/python -c 'import runpy; print(runpy.run_path("conf/conf.py")["nb_execution_cache_path"])'
# One BLAS thread per kernel, as conf.py sets for the kernels myst-nb starts.
BLAS1 = OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# The same floating-point kernels on every x86-64 machine: OpenBLAS and NumPy pick their
# kernels by CPU (AVX-512 on one machine, AVX2 on another), and a long training run rounds
# differently under each; a chapter's numbers, and a check on a chaotic run, would then depend
# on the machine. Pinned to AVX2 (Haswell), which every x86-64 CPU of the last decade has.
ifeq ($(shell uname -m),x86_64)
export OPENBLAS_CORETYPE ?= Haswell
export NPY_DISABLE_CPU_FEATURES ?= X86_V4 AVX512_ICL AVX512_SPR
endif
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
OFFLINE = $(BIN)/python conf/offline.py
CHECK := $(BUILD)/check
# The execution statistics page shows when each chapter ran and for how long.
NOT_REPRODUCIBLE := execution.html

.PHONY: html test lint unit clean serve venv bench browser check check-pdfs pdf pdftest \
	need-chromium notebooks pagespeed

# The kernels' configuration (conf/ipython_kernel_config.py says what it does).
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py

# The wheels of nnbook[notebook] and its build back-end, for the test that runs
# the downloaded notebooks in a venv of their own, offline (make notebooks).
WHEELHOUSE := $(VENV)/wheelhouse
WHEELS := $(WHEELHOUSE)/.complete

venv: $(STAMP) $(KERNEL_CONFIG) $(WHEELS)

$(WHEELS): pyproject.toml $(PINS) $(STAMP)
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m pip download --quiet --constraint $(PINS) --dest $(WHEELHOUSE) \
		--no-build-isolation setuptools wheel '.[notebook]'
	touch $@

$(KERNEL_CONFIG): conf/ipython_kernel_config.py $(STAMP)
	mkdir -p $(@D) && cp $< $@

$(STAMP): pyproject.toml $(PINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade --constraint $(PINS) pip setuptools wheel
	$(BIN)/python -m pip install --quiet --constraint $(PINS) --no-build-isolation \
		--editable '.[docs,test]'
	touch $@

# The chapters missing from the cache run first, side by side (jupyter-cache's own
# parallel executor: a pool of one process per core), so that Sphinx, whose -j
# hands its workers the pages in alphabetical chunks, finds every chapter cached.
# A chapter whose cell raises is left uncached: myst-nb runs it again and stops
# the build, naming the file and showing the cell and its traceback.
# $(1): the environment of the build (NNBOOK_CACHE_DIR); $(2): a runner (offline).
define execute_chapters
	cache=$$($(1) $(CACHE_PATH)) && mkdir -p "$$cache" \
		&& $(BIN)/jcache notebook -p "$$cache" add --reader myst_nb_md $(CHAPTERS) >/dev/null \
		&& $(1) $(2) env $(BLAS1) $(BIN)/jcache project -p "$$cache" execute \
			--executor local-parallel --timeout 600
endef

# Run only when a chapter or the engine changed since (a no-op build skips the
# 1 to 2 s that jupyter-cache takes to find that nothing is missing).
EXECUTED := $(BUILD)/.chapters-executed
$(EXECUTED): $(STAMP) $(KERNEL_CONFIG) $(CHAPTERS) $(shell find nnbook -name '*.py')
	$(call execute_chapters,,)
	@mkdir -p $(@D) && touch $@

html: $(STAMP) $(EXECUTED)
	$(SPHINXBUILD) -d $(BUILD)/doctrees $(DOCS) $(BUILD)/html
	@echo "The book is in $(BUILD)/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check nnbook tests conf
	$(BIN)/ruff format --check nnbook tests conf
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest --cov=nnbook --cov-report=term-missing:skip-covered \
		--ignore=tests/test_site_browser.py --ignore=tests/test_math_browser.py \
		--ignore=tests/test_reader_browser.py --ignore=tests/test_landing_browser.py \
		--ignore=tests/test_interactive_browser.py --ignore=tests/test_pagespeed.py \
		--ignore=tests/test_pdf.py --ignore=tests/test_pdf_reproducible.py \
		--ignore=tests/test_site_pages.py --ignore=tests/test_downloaded_notebooks.py

# The PDF comes before the site, so that the site tested is the one published:
# its landing page links the PDF, and the site carries it.
test: lint unit pdftest html browser notebooks

# The chapters as readers download them (_build/html/_sources/*.ipynb), each run
# as downloaded, outside the repository, in a venv of its own that holds only
# nnbook[notebook], installed offline from the wheelhouse; the time of each step
# goes to $(BUILD)/notebooks.json (about 3 minutes on two busy cores).
notebooks: $(WHEELS)
	@test -f $(BUILD)/html/index.html || { echo "No $(BUILD)/html yet: run make html first"; exit 1; }
	$(BIN)/python -m pytest -rfEs tests/test_downloaded_notebooks.py

# The whole book as one PDF, $(PDF)/nnbook.pdf: Sphinx's singlehtml builder with
# the site's configuration, environment and execution cache (nothing runs
# again), printed by Chromium (conf/print_pdf.py); offline, as make check.
# The next make html links it from the landing page and copies it into the site
# (without it, the landing page says how to make it: no link to a missing file).
# Its dates are the last commit's (SOURCE_DATE_EPOCH), so that two builds of a
# commit are byte-identical.
pdf: need-chromium $(STAMP) $(EXECUTED)
	$(call make_pdf,$(BUILD)/doctrees,$(PDF),)

# $(1): the doctrees of the site's build; $(2): the directory of the PDF;
# $(3): the environment of the build (NNBOOK_CACHE_DIR).
define make_pdf
	$(3) $(OFFLINE) $(BIN)/sphinx-build -b singlehtml $(SPHINXOPTS) \
		-d $(1) $(DOCS) $(2)/html
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(OFFLINE) $(BIN)/python conf/print_pdf.py \
		--chromium $(CHROMIUM) $(2)/html/index.html $(2)/nnbook.pdf
endef
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

# Without Chromium there is no PDF: one line says so, before anything is built.
need-chromium:
	$(if $(shell test -x $(CHROMIUM) && echo yes),,$(error No Chromium at $(CHROMIUM): \
		make pdf prints the book with it. Install Debian's (sudo apt-get install \
		chromium) or name it: make pdf CHROMIUM=/path/to/chromium))

# The PDF's tests (poppler-utils): bookmarks, text, numbers, figures, links;
# a page of each chapter as PNG in $(BUILD)/screenshots/pdf; printed again, the
# same bytes (about 40 s on two free cores).
pdftest: pdf
	$(BIN)/python -m pytest -rfEs tests/test_pdf.py tests/test_pdf_reproducible.py

# The browser tests on the site in $(1), screenshots to $(2), the command run
# through $(3); first the tests that read its HTML (tests/test_site_pages.py).
# tests/test_landing_browser.py, tests/test_interactive_browser.py (the
# interactive figures, driven by keyboard) and tests/test_pagespeed.py (make
# pagespeed's instrument) run in a pytest of their own:
# test_site_browser's session-long Playwright holds the main thread's event loop,
# and Playwright's sync API refuses a second one there. Without Chromium they
# cannot run: outside CI that is said, and no failure; under CI (CI set) the tests
# report it as an error.
define browser_tests
	NNBOOK_SITE=$(1) $(BIN)/python -m pytest -q tests/test_site_pages.py
	@if test -x $(CHROMIUM) || test -n "$$CI"; then \
		echo "browser tests: $(3) pytest tests/test_site_browser.py and the others on $(1)"; \
		NNBOOK_SITE=$(1) NNBOOK_SCREENSHOTS=$(2) NNBOOK_CHROMIUM=$(CHROMIUM) \
			$(3) $(BIN)/python -m pytest -rfEs tests/test_site_browser.py \
			tests/test_math_browser.py tests/test_reader_browser.py \
		&& NNBOOK_SITE=$(1) NNBOOK_SCREENSHOTS=$(2) NNBOOK_CHROMIUM=$(CHROMIUM) \
			$(3) $(BIN)/python -m pytest -rfEs tests/test_landing_browser.py \
			tests/test_interactive_browser.py tests/test_pagespeed.py; \
	else \
		echo "*** The browser tests did NOT run: there is no Chromium at $(CHROMIUM)."; \
		echo "*** Install Debian's with: sudo apt-get install chromium   (then: make browser)"; \
	fi
endef

# The built site in headless Chromium (Debian's chromium package), served on
# 127.0.0.1 under /book/: every page in the light and dark theme, links, search,
# axe-core; what a reader sees at 390 and 1280 px (figure text, tables, code
# blocks: tests/test_reader_browser.py). Screenshots, report.json and
# reader.json go to $(BUILD)/screenshots.
browser: $(STAMP)
	@test -f $(BUILD)/html/index.html || { echo "No $(BUILD)/html yet: run make html first"; exit 1; }
	$(call browser_tests,$(BUILD)/html,$(BUILD)/screenshots,)

# Reproducible and hermetic: two clean builds, each executing every chapter
# with its own cache and without the network, must be byte-identical, and so
# must their PDFs (with Chromium; check-pdfs); so must
# incremental rebuilds and clean builds of the same tree, after nothing changed,
# a prose edit, a code-cell edit and an edit under nnbook/ (tests/check_rebuilds.py,
# in a copy of the project); then the browser tests run, without the network
# too, on the first build.
check: $(STAMP)
	rm -rf $(CHECK)-a $(CHECK)-b $(CHECK)-rebuilds
	$(call execute_chapters,NNBOOK_CACHE_DIR=$(CHECK)-a/.jupyter_cache,$(OFFLINE))
	NNBOOK_CACHE_DIR=$(CHECK)-a/.jupyter_cache $(OFFLINE) \
		$(SPHINXBUILD) -d $(CHECK)-a/doctrees $(DOCS) $(CHECK)-a/html
	$(call execute_chapters,NNBOOK_CACHE_DIR=$(CHECK)-b/.jupyter_cache,$(OFFLINE))
	NNBOOK_CACHE_DIR=$(CHECK)-b/.jupyter_cache $(OFFLINE) \
		$(SPHINXBUILD) -d $(CHECK)-b/doctrees $(DOCS) $(CHECK)-b/html
	@diff -rq -x $(NOT_REPRODUCIBLE) $(CHECK)-a/html $(CHECK)-b/html \
		&& echo "The two builds are byte-identical ($$(find $(CHECK)-a/html -type f | wc -l) files;" \
			"$(NOT_REPRODUCIBLE) left out: it reports when and how long each chapter ran)" \
		|| { echo "The two builds differ in the files above"; exit 1; }
	@if test -x $(CHROMIUM) || test -n "$$CI"; then \
		$(MAKE) --no-print-directory check-pdfs; \
	else \
		echo "*** The PDFs were NOT compared: there is no Chromium at $(CHROMIUM)."; \
	fi
	$(OFFLINE) $(BIN)/python tests/check_rebuilds.py --work $(CHECK)-rebuilds \
		--cache $(CHECK)-a/.jupyter_cache
	$(call browser_tests,$(CHECK)-a/html,$(CHECK)-a/screenshots,$(OFFLINE))

# make check's two builds, each printed to a PDF: the two must be byte-identical.
check-pdfs:
	$(call make_pdf,$(CHECK)-a/doctrees,$(CHECK)-a/pdf,NNBOOK_CACHE_DIR=$(CHECK)-a/.jupyter_cache)
	$(call make_pdf,$(CHECK)-b/doctrees,$(CHECK)-b/pdf,NNBOOK_CACHE_DIR=$(CHECK)-b/.jupyter_cache)
	@cmp $(CHECK)-a/pdf/nnbook.pdf $(CHECK)-b/pdf/nnbook.pdf \
		&& echo "The two PDFs are byte-identical ($$(wc -c < $(CHECK)-a/pdf/nnbook.pdf) bytes)" \
		|| { echo "The two builds' PDFs differ"; exit 1; }

# The benchmark's extra dependencies (PyTorch CPU, micrograd) go into .venv on demand only.
$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet --constraint $(PINS) --no-build-isolation \
		--editable '.[docs,test,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python tests/benchmarks/bench.py --out $(BUILD)

# What a phone downloads and how long it waits to read (tests/benchmarks/pagespeed.py):
# the site before issue 21 (PAGESPEED_BEFORE: MathJax in the browser, fontawesome.js)
# and this checkout's, side by side in one run, at 390 px with the CPU throttled 4x.
# The "before" is built once, from a git worktree of that commit in $(BUILD)/pagespeed,
# sharing this checkout's execution cache (a chapter that changed since runs again).
# Only its timing matters: a cell of that old chapter that fails on this machine
# (484a72c's initialization asserts where a long training run's loss crosses log 2,
# which rounds differently on some CPUs; fixed since) leaves its error in the page
# instead of stopping the benchmark.
PAGESPEED_BEFORE ?= 484a72c
PAGESPEED := $(BUILD)/pagespeed
PAGESPEED_SPHINXOPTS = -c conf -n --keep-going -j $(JOBS) \
	-D nb_execution_raise_on_error=0 -D nb_execution_allow_errors=1
pagespeed: need-chromium $(STAMP)
	@test -f $(BUILD)/html/index.html || { echo "No $(BUILD)/html yet: run make html first"; exit 1; }
	test -d $(PAGESPEED)/before || git worktree add --detach $(PAGESPEED)/before $(PAGESPEED_BEFORE)
	test -f $(PAGESPEED)/before/_build/html/index.html || { \
		cache=$$($(CACHE_PATH)) && cd $(PAGESPEED)/before && \
		PYTHONPATH=$$PWD NNBOOK_CACHE_DIR=$$(dirname $$cache) \
			$(abspath $(BIN))/python $(abspath conf/offline.py) $(abspath $(BIN))/sphinx-build -b html $(PAGESPEED_SPHINXOPTS) \
				-d _build/doctrees docs _build/html; }
	$(BIN)/python tests/benchmarks/pagespeed.py $(PAGESPEED)/before/_build/html $(BUILD)/html \
		--out $(BUILD)/pagespeed.json

serve: $(STAMP)
	@test -d $(BUILD)/html || { echo "No $(BUILD)/html yet: run make html first"; exit 1; }
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html $(PORT)

clean:
	rm -rf $(BUILD)
