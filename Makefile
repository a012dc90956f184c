# gilsim — plain Makefile.  `make help` lists the targets.

CC      ?= cc
VERSION := 0.1.0
PKGS    := yaml-0.1 cmocka
DEBS    := make gcc libc6-dev pkg-config libyaml-dev libcsv-dev libcmocka-dev gnuplot-nox python3 \
           parallel mandoc man-db dpkg-dev

# Compiler lines are hidden; `make V=1` shows them.
Q       := $(if $(filter 1,$(V)),,@)

WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS_ALL = -Iinclude -Isim -D_POSIX_C_SOURCE=200809L -DGILSIM_VERSION='"$(VERSION)"' \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
LIBS     = $(shell pkg-config --libs yaml-0.1 2>/dev/null) -lcsv -lm -pthread
TESTLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)
SAN     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

LIB_SRC  := $(filter-out sim/cli/main.c,$(wildcard sim/*/*.c))
TEST_SRC := $(wildcard tests/test_*.c)
HEADERS  := $(wildcard include/*.h include/*.def sim/*/*.h sim/*/*.def)

# The fuzz harnesses (tests/fuzz/fuzz_*.c): built with libFuzzer by
# `make fuzz`, and with replay.c as a plain program that `make test` runs over
# the seed corpus and every past finding (tests/fuzz/regress/).
FUZZERS  := config set plot explain sweep
FUZZ_SEEDS_config := configs configs/seed tests/bad tests/regress tests/fuzz/regress/config
FUZZ_SEEDS_set    := tests/fuzz/seeds/set tests/fuzz/regress/set
FUZZ_SEEDS_plot   := tests/fuzz/seeds/plot tests/fuzz/regress/plot
FUZZ_SEEDS_explain := tests/fuzz/seeds/explain tests/fuzz/regress/explain
FUZZ_SEEDS_sweep  := tests/fuzz/seeds/sweep tests/fuzz/regress/sweep

# Two builds: build/ (normal) and build/san/ (AddressSanitizer + UBSan).
OBJ      := $(LIB_SRC:sim/%.c=build/obj/%.o)
SAN_OBJ  := $(LIB_SRC:sim/%.c=build/san/obj/%.o)
TESTS    := $(TEST_SRC:tests/%.c=build/tests/%) build/tests/embed
SAN_TESTS:= $(TEST_SRC:tests/%.c=build/san/tests/%) build/san/tests/embed
REPLAYS     := $(FUZZERS:%=build/tests/replay_%)
SAN_REPLAYS := $(FUZZERS:%=build/san/tests/replay_%)

CONFIG  ?= configs/default.yaml
OUT     ?= out/default

# make install: PREFIX/bin/gilsim, and its data under PREFIX/share/gilsim
# (the gnuplot scripts and the shipped configs and labs), which the binary
# finds beside itself (sim/cli/datadir.c); DESTDIR stages it elsewhere.
PREFIX  ?= /usr/local
DESTDIR ?=
INST_BIN  = $(DESTDIR)$(PREFIX)/bin
INST_DATA = $(DESTDIR)$(PREFIX)/share/gilsim
INST_MAN  = $(DESTDIR)$(PREFIX)/share/man
INST_COMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
MAN_PAGES := build/man/gilsim.1 build/man/gilsim-config.5

.PHONY: FORCE all help deps deps-check web web-deps web-deps-check web-check web-browser-check run install uninstall install-check deb deb-check print-config-check test test-normal test-san test-san-run validate validate-check figures examples bench bench-labs bench-simpy fuzz fuzz-deps no-exit layers docs docs-check lab-check identical clean

all: build/gilsim

help:
	@echo "make run     install missing packages, build, run $(CONFIG) into $(OUT)"
	@echo "make test    build and run the test suite (normal and ASan+UBSan builds, and the"
	@echo "             WebAssembly build's outputs against the native one's where emcc is installed)"
	@echo "make web     the simulator compiled to WebAssembly: build/web/ (installs emscripten)"
	@echo "make web-check, web-browser-check  the WebAssembly build against the native one, and"
	@echo "             the page in headless Chromium (part of make test where installed)"
	@echo "make validate  compare gilsim with the machine's python3 (slow; QUICK=1 for a short run)"
	@echo "make figures  the notes' figures: asymmetry at 4/8/16 threads, threads vs processes,"
	@echo "             and the READMEs' examples, into out/figures/"
	@echo "make examples  make figures, then copy the examples into plots/examples/"
	@echo "make bench   benchmarks into build/bench/results.csv (SCALE=60 for the full sizes;"
	@echo "             BASE=REV: the scenarios A/B against commit REV, interleaved, into ab.csv)"
	@echo "make bench-labs  lab make of every lab for 200 students, timed, into build/bench/labs.csv"
	@echo "make bench-simpy  the gil-16 model in gilsim and in SimPy: agreement and speed"
	@echo "make install  install gilsim into PREFIX (default /usr/local; DESTDIR stages it)"
	@echo "make uninstall  remove what make install installed (same PREFIX and DESTDIR)"
	@echo "make deb    a Debian package, build/gilsim_VERSION_ARCH.deb (dpkg-deb)"
	@echo "make install-check, deb-check, print-config-check  the checks of those (part of make test)"
	@echo "make layers  check that no include crosses a layer of sim/ upward (part of make test)"
	@echo "make docs-check  the READMEs' reference sections and quoted outputs are what gilsim prints now, and their links lead somewhere (part of make test)"
	@echo "make docs    rewrite the READMEs' reference sections and quoted outputs from gilsim"
	@echo "make lab-check  gilsim lab check over configs/labs and tests/labs (part of make test)"
	@echo "make identical BASE=REV  the same results as commit REV (every config x GIL x scheduler; CORES=N: on N cores)"
	@echo "make fuzz    libFuzzer on configs, --set/--vary, plot, explain and sweep tables (FUZZ_SECONDS=60 each)"
	@echo "make deps    install the Debian packages: $(DEBS)"
	@echo "make         build build/gilsim (quietly; make V=1 shows the compiler lines)"
	@echo "make clean   remove build/"

# Installs packages with apt-get (through sudo when not root).  When
# another apt holds the package lock (a fresh machine's updates at boot),
# it says so and waits, up to 10 minutes, instead of failing.
# $(call apt_install,PACKAGES)
define apt_install
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	err=$$(mktemp) || exit 1; trap 'rm -f "$$err"' EXIT; \
	apt_wait() { \
	    for i in $$(seq 30); do \
	        if $$SUDO env LC_ALL=C DEBIAN_FRONTEND=noninteractive "$$@" -o DPkg::Lock::Timeout=10 \
	                2>"$$err"; then cat "$$err" >&2; return 0; fi; \
	        grep -q "Could not get lock\|Unable to lock" "$$err" || { cat "$$err" >&2; return 1; }; \
	        [ $$i = 1 ] && echo "gilsim: another apt-get holds the package lock (a machine's own updates at boot?); waiting for it, up to 10 minutes"; \
	        sleep 10; \
	    done; cat "$$err" >&2; return 1; }; \
	apt_wait apt-get update -qq && apt_wait apt-get install -y -qq $(1)
endef

deps:
	@echo "gilsim: installing with apt-get: the compiler (make gcc libc6-dev pkg-config),"
	@echo "  libraries (libyaml-dev: configs, libcsv-dev: CSV files, libcmocka-dev: tests),"
	@echo "  gnuplot-nox (figures), python3 (benchmarks, validation, doc checks) and"
	@echo "  parallel (sweeps across hosts), mandoc and man-db (the tests that the manual pages"
	@echo "  render cleanly) and dpkg-dev (make deb: the library versions the package needs)"
	$(call apt_install,$(DEBS))

# Runs `make deps` only when pkg-config, a header, gnuplot, python3, parallel, mandoc, man
# or dpkg-shlibdeps is missing.
deps-check:
	@if ! command -v $(CC) >/dev/null || ! command -v pkg-config >/dev/null || ! pkg-config --exists $(PKGS) \
	   || ! echo '#include <csv.h>' | $(CC) -E -x c - >/dev/null 2>&1 \
	   || ! command -v gnuplot >/dev/null || ! command -v python3 >/dev/null \
	   || ! command -v parallel >/dev/null || ! command -v mandoc >/dev/null \
	   || ! command -v man >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then \
	    echo "gilsim: installing missing packages: $(DEBS)"; \
	    $(MAKE) --no-print-directory deps; \
	fi

build/obj/%.o: sim/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) $(CFLAGS) -c $< -o $@

build/san/obj/%.o: sim/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) $(SAN) -c $< -o $@

# `gilsim --version` names the commit it was built from: build/gen/version.h
# holds `git describe --always --dirty` and the commit's date (for the
# manual pages' title line; "unknown" outside a git checkout's
# top, such as a commit `make identical` unpacked into build/base),
# rewritten only when it changes, so that only the CLI's main.c rebuilds.
# In a checkout git will not read (another user's, as under sudo make
# install) the header already built is kept, so nothing relinks.
build/gen/version.h: FORCE
	@d=; t=; if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$$(pwd -P)" ]; then \
	    d=$$(git describe --always --dirty 2>/dev/null | tr -cd 'A-Za-z0-9._+-'); \
	    t=$$(git log -1 --format=%cs 2>/dev/null | tr -cd '0-9-'); \
	elif [ -e .git ] && [ -f $@ ]; then exit 0; fi; \
	new=$$(printf '#define GILSIM_GIT "%s"\n#define GILSIM_DATE "%s"' "$${d:-unknown}" \
	    "$${t:-unknown}"); \
	[ "$$(cat $@ 2>/dev/null)" = "$$new" ] || \
	{ mkdir -p $(@D) && printf '%s\n' "$$new" >$@.$$$$ && mv -f $@.$$$$ $@; } 2>/dev/null || \
	{ rm -f $@.$$$$; [ -f $@ ] || exit 1; echo "gilsim: cannot update $@ (keeping it)" >&2; }

FORCE:

build/gilsim: sim/cli/main.c $(OBJ) $(HEADERS) build/gen/version.h
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) -Ibuild/gen $(CFLAGS) sim/cli/main.c $(OBJ) $(LIBS) -o $@

build/san/gilsim: sim/cli/main.c $(SAN_OBJ) $(HEADERS) build/gen/version.h
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) -Ibuild/gen $(SAN) sim/cli/main.c $(SAN_OBJ) $(LIBS) -o $@

build/tests/%: tests/%.c tests/testlib.h tests/plotlib.h tests/clilib.h tests/explainlib.h $(OBJ) $(HEADERS) | build/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) -Itests $(CFLAGS) $< $(OBJ) $(LIBS) $(TESTLIBS) -o $@

build/san/tests/%: tests/%.c tests/testlib.h tests/plotlib.h tests/clilib.h tests/explainlib.h $(SAN_OBJ) $(HEADERS) | build/san/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) -Itests $(SAN) $< $(SAN_OBJ) $(LIBS) $(TESTLIBS) -o $@

# tests/embed.c sees include/ only: the public API must be enough to load,
# run and measure a config.
CPPFLAGS_PUBLIC = -Iinclude -D_POSIX_C_SOURCE=200809L $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

build/tests/embed: tests/embed.c $(OBJ) $(wildcard include/*.h) | build/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_PUBLIC) $(CFLAGS) $< $(OBJ) $(LIBS) $(TESTLIBS) -o $@

build/san/tests/embed: tests/embed.c $(SAN_OBJ) $(wildcard include/*.h) | build/san/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_PUBLIC) $(SAN) $< $(SAN_OBJ) $(LIBS) $(TESTLIBS) -o $@

build/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzzfolder.h $(OBJ) $(HEADERS) | build/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) $(CFLAGS) $< tests/fuzz/replay.c $(OBJ) $(LIBS) -o $@

build/san/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzzfolder.h $(SAN_OBJ) $(HEADERS) | build/san/tests
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) $(SAN) $< tests/fuzz/replay.c $(SAN_OBJ) $(LIBS) -o $@

build/tests build/san/tests:
	mkdir -p $@

run:
	@$(MAKE) --no-print-directory deps-check
	@$(MAKE) --no-print-directory build/gilsim
	build/gilsim run $(CONFIG) -o $(OUT) --plot

# Installs the binary and its data; uninstall removes exactly what install
# wrote (the data folder is gilsim's alone).
install: build/gilsim $(MAN_PAGES) build/completion/gilsim
	@case "$(PREFIX)" in /*) ;; *) echo "install: PREFIX must be an absolute path, got '$(PREFIX)'"; exit 1 ;; esac
	install -d "$(INST_BIN)" "$(INST_DATA)/plots" "$(INST_MAN)/man1" "$(INST_MAN)/man5" "$(INST_COMP)"
	install -m 644 build/completion/gilsim "$(INST_COMP)/gilsim"
	install -m 755 build/gilsim "$(INST_BIN)/gilsim"
	install -m 644 build/man/gilsim.1 "$(INST_MAN)/man1/gilsim.1"
	install -m 644 build/man/gilsim-config.5 "$(INST_MAN)/man5/gilsim-config.5"
	install -m 644 plots/*.gp "$(INST_DATA)/plots/"
	@find configs -type f | while read -r f; do \
	    install -D -m 644 "$$f" "$(INST_DATA)/$$f" || exit 1; done
	@echo "installed: $(INST_BIN)/gilsim, and its data in $(INST_DATA)"

uninstall:
	@case "$(PREFIX)" in /?*) ;; *) echo "uninstall: PREFIX must be an absolute path below /, got '$(PREFIX)'"; exit 1 ;; esac
	rm -f "$(INST_BIN)/gilsim" "$(INST_MAN)/man1/gilsim.1" "$(INST_MAN)/man5/gilsim-config.5" \
	    "$(INST_COMP)/gilsim"
	rm -rf "$(INST_DATA)"

# The manual pages: printed by the binary from the texts and tables of
# --help and gilsim help (sim/cli/manpage.c).
build/man/%: build/gilsim
	@mkdir -p $(@D)
	$(Q)build/gilsim man $* >$@.tmp && mv -f $@.tmp $@

# bash's completion script, printed by the binary (sim/cli/complete.c).
build/completion/gilsim: build/gilsim
	@mkdir -p $(@D)
	$(Q)build/gilsim completion bash >$@.tmp && mv -f $@.tmp $@

# A Debian package of make install's files under /usr, built with dpkg-deb
# from a staging tree: the manual pages gzipped as Debian keeps them, the
# README and copyright in /usr/share/doc/gilsim.  Depends: what
# dpkg-shlibdeps says the binary's libraries need (their packages, at the
# versions whose symbols it uses), and gnuplot for the figures.
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null || echo unknown)
DEB      = build/gilsim_$(VERSION)_$(DEB_ARCH).deb
deb: $(DEB)

$(DEB): build/gilsim $(MAN_PAGES) build/completion/gilsim README.md plots/*.gp \
        $(shell find configs -type f)
	@rm -rf build/deb
	@$(MAKE) --no-print-directory -s install DESTDIR="$(CURDIR)/build/deb" PREFIX=/usr >/dev/null
	@gzip -9n build/deb/usr/share/man/man1/gilsim.1 build/deb/usr/share/man/man5/gilsim-config.5
	@strip --strip-unneeded --remove-section=.comment build/deb/usr/bin/gilsim
	@install -d build/deb/DEBIAN build/deb/usr/share/doc/gilsim
	@gzip -9nc README.md >build/deb/usr/share/doc/gilsim/README.md.gz
	@printf 'gilsim\nLicense: see the README of the source tree.\n' \
	    >build/deb/usr/share/doc/gilsim/copyright
	@shl=build/deb-shlibs; rm -rf $$shl && mkdir -p $$shl/debian && \
	printf 'Source: gilsim\n\nPackage: gilsim\nArchitecture: any\n' >$$shl/debian/control && \
	deps=$$(cd $$shl && dpkg-shlibdeps -O "$(CURDIR)/build/deb/usr/bin/gilsim" 2>/dev/null | \
	    sed -n 's/^shlibs:Depends=//p'); rm -rf $$shl; \
	[ -n "$$deps" ] || { echo "deb: dpkg-shlibdeps cannot tell which packages gilsim's libraries need"; exit 1; }; \
	size=$$(du -sk build/deb/usr | cut -f1); \
	{ echo "Package: gilsim"; echo "Version: $(VERSION)"; echo "Architecture: $(DEB_ARCH)"; \
	  echo "Maintainer: gilsim developers <gilsim@localhost>"; echo "Section: science"; \
	  echo "Priority: optional"; echo "Installed-Size: $$size"; \
	  echo "Depends: $$deps, gnuplot-nox | gnuplot"; \
	  echo "Description: simulator of Python's GIL, threads, processes and asyncio"; \
	  echo " A deterministic discrete-event simulator of how CPython runs concurrent code"; \
	  echo " on a multicore machine: the GIL and its switch interval, thread and process"; \
	  echo " pools, asyncio event loops and the OS handing out cores.  It writes CSV"; \
	  echo " traces and draws figures with gnuplot, and makes coursework labs."; \
	} >build/deb/DEBIAN/control
	$(Q)dpkg-deb --root-owner-group -Zxz --build build/deb $@ >/dev/null
	@echo "deb: $@"

# Builds the package and installs it into a fresh root (tests/deb.sh).
deb-check: $(DEB)
	@sh tests/deb.sh $(DEB)

# Every shipped config's --print-config output loads, prints itself again
# and runs the same simulation (tests/print_config.sh).
print-config-check: build/gilsim
	@sh tests/print_config.sh build/gilsim

# Installs into a scratch DESTDIR and drives the installed binary from
# another folder (tests/install.sh).
install-check: build/gilsim $(MAN_PAGES) build/completion/gilsim
	@sh tests/install.sh

# Each suite runs from the project root; GILSIM_BIN is the binary the CLI
# tests drive (the sanitized one in the sanitized pass).
define run_suites
	@fail=0; out=$$(mktemp) || exit 1; trap 'rm -f "$$out" "$$out.rc"' EXIT INT TERM; \
	mkdir -p build; \
	tally() { \
	    p=$$(awk '/^\[  PASSED  \] [0-9]+ test/ { s += $$4; n++ } END { if (n) print s }' "$$out"); \
	    f=$$(awk '/^\[  FAILED  \] [0-9]+ test/ { s += $$4; n++ } END { if (n) print s }' "$$out"); \
	    if [ -z "$$p$$f" ]; then if [ $$1 = 0 ]; then p=1; else f=1; fi; fi; \
	    if [ $$1 != 0 ] && [ "$${f:-0}" = 0 ]; then f=1; fi; \
	    echo "$${p:-0} $${f:-0}" >>build/test-tally; }; \
	for t in $(1); do \
	    echo "== $$t"; \
	    { GILSIM_BIN=$(2) GILSIM_BAD_DIR=tests/bad $$t 2>&1; echo $$? >"$$out.rc"; } | tee "$$out"; \
	    rc=$$(cat "$$out.rc"); \
	    [ $$rc = 0 ] || fail=1; tally $$rc; \
	done; \
	$(foreach f,$(FUZZERS),echo "== replay $(f) (fuzz seeds and findings)"; \
	    { $(3)/replay_$(f) $(FUZZ_SEEDS_$(f)) 2>&1; echo $$? >"$$out.rc"; } | tee "$$out"; \
	    rc=$$(cat "$$out.rc"); \
	    [ $$rc = 0 ] || fail=1; tally $$rc;) \
	exit $$fail
endef

# Ends with one line: the cmocka tests and fuzz replays that passed and
# failed over both builds (each suite adds its counts to build/test-tally).
test:
	@$(MAKE) --no-print-directory deps-check
	@mkdir -p build && rm -f build/test-tally; \
	$(MAKE) --no-print-directory layers no-exit docs-check lab-check validate-check \
	    install-check deb-check print-config-check web-check web-browser-check test-normal \
	    test-san; rc=$$?; \
	[ -f build/test-tally ] || echo "0 0" >build/test-tally; \
	awk -v rc=$$rc '{ p += $$1; f += $$2 } END { printf "make test: %d passed, %d failed%s\n", \
	    p, f, rc && !f ? " (a check failed: see above)" : "" }' build/test-tally; \
	exit $$rc

# The validation driver's own logic: the match rule, reading a recorded run,
# finding the scenarios (no real measurement: that is `make validate`).
validate-check:
	@python3 tests/validation/test_validate.py -q

# No include crosses a layer of sim/ upward (tests/layers.sh; the known
# ones still to go are in tests/layers.allow, which may only shrink).
layers:
	@sh tests/layers.sh

# The READMEs (the top one for newcomers, and one a folder: configs/ for
# configs, sweeps and labs, plots/ for outputs and figures, sim/ for the
# model, performance and architecture, tests/ for tests and validation).
# Their reference sections (config keys, ops, events, columns, GIL
# policies) are `gilsim help TOPIC --markdown`, between <!-- BEGIN help
# TOPIC --> and <!-- END help TOPIC --> (tests/docs.sh): docs-check fails
# with a diff when they differ, docs rewrites them.  Every output they
# quote sits between <!-- BEGIN output: COMMAND --> and <!-- END output -->
# (tests/outputs.sh): docs-check reruns each command and fails when a
# simulated figure differs, docs rewrites the blocks.  Every link of theirs
# leads to a file and heading of the tree (tests/links.py).
DOCS := README.md configs/README.md plots/README.md sim/README.md tests/README.md

docs-check: build/gilsim
	@sh tests/docs.sh check build/gilsim $(DOCS)
	@for f in $(DOCS); do sh tests/outputs.sh check $$f || exit 1; done
	@python3 tests/links.py $(DOCS) tests/validation/README.md plots/web/README.md

docs: build/gilsim
	@sh tests/docs.sh update build/gilsim $(DOCS)
	@for f in $(DOCS); do sh tests/outputs.sh update $$f || exit 1; done

# Every lab of configs/labs (none is fine) and the tests' own lab load,
# render at their parameters' ends, run and answer (gilsim lab check).
lab-check: build/gilsim
	@build/gilsim lab check
	@GILSIM_LABS=tests/labs build/gilsim lab check

# Only the command line may end the process: everything else returns its
# errors (the model unwinds through fail.h), so that callers clean up.
no-exit:
	@if grep -nE '(^|[^_a-z])(exit|abort|_Exit|quick_exit) *\(' $(LIB_SRC); then \
	    echo "no-exit: exit() or abort() outside sim/cli/main.c (above)"; exit 1; fi

test-normal: build/gilsim $(TESTS) $(REPLAYS)
	$(call run_suites,$(TESTS),build/gilsim,build/tests)

test-san: build/san/gilsim $(SAN_TESTS) $(SAN_REPLAYS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory test-san-run

test-san-run:
	$(call run_suites,$(SAN_TESTS),build/san/gilsim,build/san/tests)

# The course notes' figures: the default experiment at 4, 8, 16 threads
# side by side, the core use of threads vs processes, and the example
# figures of plots/examples/ (plots/README.md says which command made each).
FIG := out/figures
figures:
	@$(MAKE) --no-print-directory deps-check
	@$(MAKE) --no-print-directory build/gilsim
	@for n in 4 8 16; do build/gilsim run configs/default.yaml -q --trace summary \
	    --set processes.0.threads.0.count=$$n -o $(FIG)/threads-$$n || exit 1; done
	gnuplot -c plots/asymmetry_panel.gp $(FIG)/asymmetry_panel.png \
	    $(FIG)/threads-4 $(FIG)/threads-8 $(FIG)/threads-16
	build/gilsim sweep configs/seed/cpu_bound_threads.yaml -q --set duration=2s \
	    --vary processes.0.main.0.count=1,2,4,8,16 -o $(FIG)/scaling/threads
	build/gilsim sweep configs/seed/cpu_bound_processes.yaml -q --set duration=2s \
	    --vary processes.0.main.0.count=1,2,4,8,16 -o $(FIG)/scaling/processes
	build/gilsim sweep configs/seed/cpu_bound_threads.yaml -q --set duration=2s \
	    --set python.gil=none --set python.version=3.14 \
	    --vary processes.0.main.0.count=1,2,4,8,16 -o $(FIG)/scaling/free-threaded
	gnuplot -c plots/scaling.gp $(FIG)/scaling
	build/gilsim run configs/cpu_threads.yaml -q -o $(FIG)/cpu_threads --plot
	build/gilsim run configs/cpu_processes.yaml -q -o $(FIG)/cpu_processes --plot
	build/gilsim run configs/default.yaml -q -o $(FIG)/default --plot
	build/gilsim run configs/convoy.yaml -q -o $(FIG)/convoy --plot
	@for si in 1ms 5ms 15ms; do build/gilsim run configs/convoy.yaml -q \
	    --set python.switch_interval=$$si -o $(FIG)/convoy-$$si --plot || exit 1; done
	gnuplot -c plots/latency_compare.gp $(FIG)/latency_by_interval.png \
	    $(FIG)/convoy-1ms $(FIG)/convoy-5ms $(FIG)/convoy-15ms
	build/gilsim run configs/seed/asyncio_ex1_tasks_gather.yaml -q -o $(FIG)/asyncio --plot
	build/gilsim plot $(FIG)/asyncio -q --from 1s --to 1000300us
	build/gilsim run configs/default.yaml -q --set processes.0.threads.0.count=100 \
	    --set duration=2s -o $(FIG)/threads-100 --plot
	build/gilsim lab make lab1_gather --roster configs/course/roster.csv -o $(FIG)/course
	@echo "figures in $(FIG)/: asymmetry_panel.png, scaling/scaling.png, latency_by_interval.png, and a folder per run"

# plots/examples/: each example figure and the figure of out/figures/ it is.
EXAMPLES := timeline_default:default/timeline asymmetry_default:default/asymmetry \
            timeline_convoy:convoy/timeline latency_convoy:convoy/latency \
            latency_by_interval:latency_by_interval asymmetry_panel:asymmetry_panel \
            scaling:scaling/scaling cores_cpu_threads:cpu_threads/cores \
            timeline_asyncio:asyncio/timeline timeline_asyncio_zoom:asyncio/timeline-1s-1000300us \
            timeline_100_threads:threads-100/timeline \
            lab1_handout_ana:course/ana/figures/gather_timeline
examples: figures
	@for e in $(EXAMPLES); do cp $(FIG)/$${e#*:}.png plots/examples/$${e%%:*}.png || exit 1; done
	@echo "plots/examples/: $(foreach e,$(EXAMPLES),$(firstword $(subst :, ,$(e))).png)"
	@rm -f build/web-test/web.png; $(MAKE) --no-print-directory web-deps-check web-browser-check && \
	    if [ -f build/web-test/web.png ]; then cp build/web-test/web.png plots/examples/web.png && \
	    echo "plots/examples/: web.png"; else echo "plots/examples/web.png: kept (no browser test)"; fi

# Benchmarks: the event queue's hold model and named scenarios; never part
# of `make test`.  SCALE multiplies the simulated durations.
build/bench/hold: tests/bench/hold.c build/obj/engine/engine.o build/obj/engine/rng.o | build/bench
	$(Q)$(CC) $(WARN) $(CPPFLAGS_ALL) -O2 $< build/obj/engine/engine.o build/obj/engine/rng.o -lm -o $@

build/bench:
	mkdir -p $@

bench-labs:
	@$(MAKE) --no-print-directory build/gilsim
	python3 tests/bench/bench.py --gilsim build/gilsim --labs --out build/bench

bench:
	@$(MAKE) --no-print-directory deps-check
	@$(MAKE) --no-print-directory build/gilsim build/bench/hold
	@if [ -n "$(BASE)" ]; then \
	    rm -rf build/base && mkdir -p build/base && git archive "$(BASE)" | tar -x -C build/base && \
	    $(MAKE) --no-print-directory -C build/base build/gilsim >/dev/null && \
	    python3 tests/bench/bench.py --gilsim build/gilsim --base build/base/build/gilsim \
	        --out build/bench $(if $(SCALE),--scale $(SCALE),); \
	else \
	    python3 tests/bench/bench.py --gilsim build/gilsim --hold build/bench/hold \
	        --out build/bench $(if $(SCALE),--scale $(SCALE),); \
	fi

# The gil-16 model in gilsim and in SimPy (Debian's python3-simpy, the
# SimPy 2 API, run by /usr/bin/python3): agreement within 1 % and speed.
bench-simpy:
	@$(MAKE) --no-print-directory deps-check
	@if ! /usr/bin/python3 -c 'import SimPy.Simulation' 2>/dev/null; then \
	    echo "gilsim: installing python3-simpy"; \
	    $(MAKE) --no-print-directory deps DEBS=python3-simpy; \
	fi
	@$(MAKE) --no-print-directory build/gilsim
	python3 tests/bench/simpy_compare.py --gilsim build/gilsim --out build/bench $(if $(DURATION),--seconds $(DURATION),)

# Runs the same scenarios on the machine's python3 and in gilsim; writes
# build/validation/validation.csv and validation.png.  Not part of `make test`.
validate:
	@$(MAKE) --no-print-directory deps-check
	@command -v python3 >/dev/null || { echo "make validate needs python3 (apt-get install python3)"; exit 1; }
	@$(MAKE) --no-print-directory build/gilsim
	python3 tests/validation/validate.py --gilsim build/gilsim --out build/validation $(if $(QUICK),--quick,)

# Same results as an earlier commit: builds BASE (e.g. BASE=HEAD~3) into
# build/base and runs tests/identical.sh on it and build/gilsim (minutes).
identical: build/gilsim
	@if [ -z "$(BASE)" ]; then echo "make identical BASE=<commit>"; exit 2; fi
	@rm -rf build/base && mkdir -p build/base
	@git archive "$(BASE)" | tar -x -C build/base
	@$(MAKE) --no-print-directory -C build/base build/gilsim >/dev/null
	CORES=$(CORES) sh tests/identical.sh build/base/build/gilsim build/gilsim build/base

# libFuzzer harnesses (tests/fuzz/), built with Debian's clang with
# AddressSanitizer and UBSan; each runs FUZZ_SECONDS.  New inputs go to
# build/fuzz/corpus/NAME, a crash to build/fuzz/findings/NAME/ (make it a
# fixture in tests/fuzz/regress/NAME/, which `make test` replays).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_OBJ     := $(LIB_SRC:sim/%.c=build/fuzz/obj/%.o)

fuzz-deps:
	@if ! command -v $(FUZZ_CC) >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
	    | $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then \
	    echo "gilsim: installing clang and its libFuzzer runtime for make fuzz"; \
	    $(MAKE) --no-print-directory deps DEBS="clang libclang-rt-dev"; \
	fi

build/fuzz/obj/%.o: sim/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzzfolder.h $(FUZZ_OBJ) $(HEADERS)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< $(FUZZ_OBJ) $(LIBS) -o $@

.PRECIOUS: build/fuzz/obj/%.o build/fuzz/fuzz_%

fuzz:
	@$(MAKE) --no-print-directory deps-check fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZERS:%=build/fuzz/fuzz_%)
	@fail=0; for f in $(FUZZERS); do $(MAKE) --no-print-directory fuzz-run-$$f || fail=1; done; exit $$fail

# One harness: its corpus, its seeds; the closing statistics, and any finding.
fuzz-run-%: build/fuzz/fuzz_%
	@mkdir -p build/fuzz/corpus/$* build/fuzz/findings/$*
	@echo "== fuzz $* for $(FUZZ_SECONDS) s"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	build/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=4096 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/findings/$*/ \
	    build/fuzz/corpus/$* $(FUZZ_SEEDS_$*) >build/fuzz/$*.log 2>&1; rc=$$?; \
	grep -E "DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" build/fuzz/$*.log; \
	if [ $$rc != 0 ]; then ls -t build/fuzz/findings/$* | head -1 | \
	    sed "s|^|finding: build/fuzz/findings/$*/|"; fi; \
	exit $$rc

# make web, web-check, web-browser-check: plots/web/web.mk.
include plots/web/web.mk

clean:
	rm -rf build
