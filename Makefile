# sourcebuilt.docker: `make demo` runs the main playbook on a local systemd container,
# `make test` runs every test. Both set up what they need (venv, Docker engine, images).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := $(CURDIR)/.venv
# python3.13, else 3.12 (ansible-core 2.20+ needs 3.12+); pyenv shims need a version picked.
PYTHON ?= $(shell for v in 3.13 3.12; do \
	  if python$$v -V >/dev/null 2>&1; then command -v python$$v; exit; fi; \
	  for p in $$HOME/.pyenv/versions/$$v*/bin/python$$v /usr/bin/python$$v; do [ -x $$p ] && { echo $$p; exit; }; done; \
	done)
COLLECTION_LINK := $(CURDIR)/.cache/collections/ansible_collections/sourcebuilt/docker
SCENARIOS ?=
PROFILE ?= debian-bookworm
BUNDLE_DIR ?= $(CURDIR)/.cache/bundle/$(PROFILE)

export PATH := $(VENV)/bin:$(PATH)
export MOLECULE_GLOB := molecule/*/molecule.yml
export SOURCEBUILT_DOCKER_CACHE ?= $(CURDIR)/.cache/artifacts
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_FORCE_COLOR ?= false
export PY_COLORS ?= 0

.PHONY: help venv collection engine images images-default images-legacy images-debian13 images-buildtools shellcheck lint unit sanity package molecule molecule-upstream test demo demo-clean clean bench bundle

help:
	@echo "make demo   build the stack from source on a local Debian 12 systemd container"
	@echo "make test   lint + unit + sanity + package + every molecule scenario ($(TEST_JOBS) at a time)"
	@echo "make lint | unit | sanity | molecule [SCENARIOS='default sysv'] | bench | clean"
	@echo "make bundle [PROFILE=debian-bookworm] [BUNDLE_DIR=...]   air-gap bundle (sources + Go + vars.yml)"

$(VENV)/.installed: requirements-dev.txt
	@[ -n "$(PYTHON)" ] || { echo "no python3.13 or python3.12 found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The checkout itself answers to sourcebuilt.docker (FQCN roles, modules, filters).
collection: venv
	@mkdir -p $(dir $(COLLECTION_LINK))
	@[ "$$(readlink $(COLLECTION_LINK))" = "$(CURDIR)" ] || ln -sfn $(CURDIR) $(COLLECTION_LINK)

engine: venv
	$(VENV)/bin/python tests/harness/harness.py engine

# The default images, and for `make molecule SCENARIOS=...` the sets its scenarios run on: the Python-free
# hosts (issue 15) for legacy-hosts, the Debian 13 hosts for offline, the Debian 12 build hosts for the
# scenarios on them. (`make test` and `make molecule` build each set as a step of their own.)
images: engine
	$(VENV)/bin/python tests/harness/harness.py images --set default \
	  $(if $(findstring legacy-hosts,$(SCENARIOS)),--set legacy) \
	  $(if $(findstring offline,$(SCENARIOS)),--set debian13) \
	  $(if $(or $(findstring reproduce,$(SCENARIOS)),$(findstring faults,$(SCENARIOS)),$(findstring fleet,$(SCENARIOS))),--set buildtools)

# One set of images (default, legacy, debian13 or buildtools): steps of `make test` and `make molecule`.
images-default images-legacy images-debian13 images-buildtools: engine
	$(VENV)/bin/python tests/harness/harness.py images --set $(@:images-%=%)

# Debian's shellcheck, installed on a fresh machine (root, or sudo) when missing.
shellcheck:
	@command -v shellcheck >/dev/null || { s=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$s apt-get install -y -qq shellcheck || { $$s apt-get update -qq && $$s apt-get install -y -qq shellcheck; }; }

lint: collection shellcheck
	yamllint -s .
	ansible-lint
	shellcheck roles/*/files/*.sh playbooks/files/*.sh tests/*/*.sh

# The shell scripts' tests run shellcheck too.
unit: collection shellcheck
	python -m pytest tests/unit

sanity: collection
	tests/sanity/run-sanity.sh

# The built tarball as a user gets it: only what a user runs and reads, installed with ansible-core and
# only the collections galaxy.yml declares (copied from the venv's `ansible` package, sys.path scanning
# off); every playbook's syntax, every plugin, and a check-mode run of the roles' controller side
# (tests/package/run-package.sh).
package: venv
	PYTHON=$(VENV)/bin/python tests/package/run-package.sh $(CURDIR)/.cache/dist

# `make molecule SCENARIOS='sysv fleet'` runs the named scenarios one after another; `make molecule` runs
# MOLECULE_STEPS and `make test` the checks too, on TEST_JOBS slots (tests/harness/lanes.py): each step starts
# when a slot is free and what it names after `<` has passed, the first ready step of the list first, so the
# list goes from the longest to the shortest (times in docs/measurements.md, session 16). `default` compiles
# the stack and fills the controller cache the scenarios after `<default` take from (`reproduce` compiles it
# again elsewhere and compares it with what `default` published); `offline` compiles the Debian 13 stack from
# its bundle and needs nothing from the cache, so it starts beside `default`. Each step's log in .cache/logs, each step's wall time printed.
MOLECULE_STEPS ?= 'default<make:images-default' 'make:images-buildtools<make:images-default' \
  'offline<make:images-debian13,make:images-default' 'preflight<make:images-default' \
  'reproduce<default,make:images-buildtools' 'faults-restart<default,make:images-buildtools' \
  'fleet<default,make:images-buildtools' 'adopt<default' 'faults-build<default,make:images-buildtools' 'sysv<default' \
  'legacy-hosts<default,make:images-legacy'
IMAGE_STEPS := make:images-default make:images-debian13 make:images-legacy
TEST_JOBS ?= 3
molecule: collection engine
	@$(VENV)/bin/python tests/harness/harness.py host-tools
	$(if $(SCENARIOS),$(MAKE) --no-print-directory images && )$(VENV)/bin/python tests/harness/lanes.py \
	  --logs $(CURDIR)/.cache/logs $(if $(SCENARIOS),--jobs 1 '$(SCENARIOS)',--jobs $(TEST_JOBS) $(IMAGE_STEPS) $(MOLECULE_STEPS))

# The checks come last in the list: they are short, and every slot they would take first delays a scenario.
# Sanity goes before unit (it copies tests/unit, where pytest writes its caches).
CHECK_STEPS ?= make:sanity 'make:unit<make:sanity' make:lint make:package
test: collection engine
	@$(VENV)/bin/python tests/harness/harness.py host-tools
	@start=$$(date +%s); \
	$(VENV)/bin/python tests/harness/lanes.py --logs $(CURDIR)/.cache/logs --jobs $(TEST_JOBS) \
	  $(IMAGE_STEPS) $(MOLECULE_STEPS) $(CHECK_STEPS); \
	echo "=== make test: $$(( $$(date +%s) - start )) s"

# The 29.7 profile from local clones of the upstream repositories (never run in CI: no GitHub).
molecule-upstream: collection images
	@if [ -z "$${SOURCEBUILT_GIT_MIRROR:-}" ]; then \
	  echo "molecule upstream: skipped (set SOURCEBUILT_GIT_MIRROR and SOURCEBUILT_GO_TARBALL; see molecule/upstream/molecule.yml)"; \
	else \
	  export SOURCEBUILT_GO_SHA256=$$(sha256sum "$$SOURCEBUILT_GO_TARBALL" | cut -d' ' -f1); \
	  molecule test -s upstream; \
	fi

demo: collection images
	$(VENV)/bin/python tests/harness/harness.py instance sourcebuilt-demo
	ansible-playbook -i inventory/demo.yml playbooks/site.yml

# Air-gap bundle of $(PROFILE) in $(BUNDLE_DIR), made on a throwaway connected container.
bundle: collection images
	$(VENV)/bin/python tests/harness/harness.py instance sourcebuilt-bundler
	rc=0; ansible-playbook -i inventory/bundler.yml \
	  -e sourcebuilt_bundle_host=bundlers -e build_profile=$(PROFILE) -e build_bundle_dir=$(BUNDLE_DIR) playbooks/bundle.yml \
	  || rc=$$?; $(VENV)/bin/python tests/harness/harness.py instance-rm sourcebuilt-bundler; exit $$rc

demo-clean: venv
	$(VENV)/bin/python tests/harness/harness.py instance-rm sourcebuilt-demo

# Side-by-side timings (not part of `make test`): make bench [BENCH_ARGS='--only noop,runc --repeat 3'];
# results in .cache/bench/latest.md and .cache/bench/<date>.json (bench/run.py --help).
bench: collection images
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

clean: demo-clean
	rm -rf .cache/collections .cache/artifacts
