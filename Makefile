# Two commands for a fresh Debian 12 / Raspberry Pi OS (bookworm) machine with python3:
#   make demo   set up and run the desktop demo (embedded broker + simulator + HMI window)
#   make test   set up and run the whole test suite headless
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
APT_PACKAGES := libgl1 libegl1 xvfb xauth mosquitto mosquitto-clients libmtdev1 python3-venv openssl shellcheck desktop-file-utils fonts-noto-cjk fonts-noto-core
PYTEST_ARGS ?=

.PHONY: demo test lint soak system-packages venv clean

$(PY):
	@$(PYTHON) -m venv $(VENV) || { echo "python3-venv is missing: run 'sudo apt-get install -y python3-venv' and retry"; exit 1; }
	$(PIP) install --quiet --upgrade pip

venv: $(PY)

system-packages:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "installing system packages:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PACKAGES); \
	else \
		echo "The tests need system packages that are missing:$$missing"; \
		echo "Run this once, then 'make test' again:"; \
		echo "  sudo apt-get install -y --no-install-recommends $(APT_PACKAGES)"; \
		exit 1; \
	fi

test: system-packages $(PY)
	$(PIP) install --quiet -e '.[test]'
	$(PY) -m ruff check .
	$(PY) -m mypy
	SDL_VIDEODRIVER=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# The gates alone: lint (rules in pyproject.toml) and types (strict for protocols and the model).
lint: $(PY)
	$(PIP) install --quiet -e '.[test]'
	$(PY) -m ruff check .
	$(PY) -m mypy

# The long reliability runs (60 s flood, a million fuzz payloads, 10,000 audited commands,
# 50 broker restarts); figures printed and kept in .pytest_cache/reliability-figures.txt.
soak: system-packages $(PY)
	$(PIP) install --quiet -e '.[test]'
	EMA_SOAK=1 SDL_VIDEODRIVER=offscreen $(PY) -m pytest tests/reliability -s $(PYTEST_ARGS)

# The demo installs the fonts for Japanese, Chinese and Arabic when run as root (and says
# what to install otherwise: it still starts, with those scripts unreadable).
demo: $(PY)
	-@$(MAKE) --no-print-directory system-packages APT_PACKAGES="fonts-noto-cjk fonts-noto-core"
	$(PIP) install --quiet -e '.[demo]'
	$(VENV)/bin/ema-demo

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
