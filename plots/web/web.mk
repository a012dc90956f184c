# web.mk — the WebAssembly build and the web page; included by the
# top-level Makefile, whose variables (LIB_SRC, HEADERS, WARN, VERSION, Q,
# apt_install) it uses.  plots/web/README.md says what each target does.

# make web: the same simulator compiled to WebAssembly by Debian's
# emscripten, and the page that runs it, in build/web/ (nothing else: the
# folder to publish).  libyaml and libcsv are built for it from the Debian
# source packages of the versions installed here (plots/web/debsrc.sh).
# The rest goes to build/wasm/: objects, libraries, and gilsim-node, the
# WebAssembly build as a command under node, which web-check compares
# with the native build for every shipped config (tests/identical.sh).
EMCC      ?= emcc
EMAR      ?= emar
WEB_DEBS  := emscripten nodejs dpkg-dev
# Debian's emscripten runs its JavaScript optimiser under node with
# Debian's acorn module, which a node from elsewhere does not look for.
EM_ENV     = env NODE_PATH=/usr/share/nodejs$(if $(NODE_PATH),:$(NODE_PATH))
WASM      := build/wasm
WEB_CPPFLAGS = -Iinclude -Isim -I$(WASM)/deps/include -D_POSIX_C_SOURCE=200809L \
               -DGILSIM_VERSION='"$(VERSION)"'
WEB_OBJ   := $(LIB_SRC:sim/%.c=$(WASM)/obj/%.o)
WEB_LIBS  := $(WASM)/deps/libyaml.a $(WASM)/deps/libcsv.a
WEB_LINK  := -O2 -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1
# The browser's module: the worker calls main (callMain) and writes and
# reads files (FS); it instantiates the module itself (INVOKE_RUN=0).
WEB_MODULE := -sMODULARIZE=1 -sEXPORT_NAME=createGilsim -sENVIRONMENT=worker -sINVOKE_RUN=0 \
              -sEXPORTED_RUNTIME_METHODS=callMain,FS -sFORCE_FILESYSTEM=1
# The page: plots/web/'s files, with the module and the examples as
# scripts (bundle.py), so that it runs opened from a file as well as from
# any static web server.
WEB_PAGE  := $(addprefix build/web/,index.html style.css app.js figures.js engine.js examples.js)
WEB_EXAMPLES := $(wildcard configs/*.yaml configs/seed/*.yaml configs/labs/*/*)

web: $(WASM)/gilsim-node $(WEB_PAGE)

# Relinks when the flags change (this Makefile's WEB_* lines).
$(WASM)/flags: FORCE
	@mkdir -p $(@D)
	@f='$(WEB_CPPFLAGS) $(WEB_LINK) $(WEB_MODULE)'; [ "$$(cat $@ 2>/dev/null)" = "$$f" ] || \
	    printf '%s\n' "$$f" >$@

$(WASM)/gilsim-web.wasm: $(WASM)/gilsim-web.js
$(WASM)/gilsim-web.js: sim/cli/main.c $(WEB_OBJ) $(WEB_LIBS) $(HEADERS) build/gen/version.h $(WASM)/flags
	$(Q)$(EM_ENV) $(EMCC) $(WARN) $(WEB_CPPFLAGS) -Ibuild/gen $(WEB_LINK) $(WEB_MODULE) \
	    sim/cli/main.c $(WEB_OBJ) $(WEB_LIBS) -lm -o $@

build/web/engine.js: $(WASM)/gilsim-web.js $(WASM)/gilsim-web.wasm plots/web/worker.js \
                     plots/web/bundle.py
	$(Q)python3 plots/web/bundle.py engine $@ $(WASM)/gilsim-web.js $(WASM)/gilsim-web.wasm \
	    plots/web/worker.js

build/web/examples.js: $(WEB_EXAMPLES) plots/web/bundle.py
	@mkdir -p $(@D)
	$(Q)python3 plots/web/bundle.py examples $@ . $(WEB_EXAMPLES)

build/web/%: plots/web/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

# Installs emscripten, node and dpkg-dev (dpkg-source) when one is missing.
web-deps:
	@echo "gilsim: installing with apt-get: emscripten (the WebAssembly compiler), nodejs"
	@echo "  (runs it, and the WebAssembly build's tests) and dpkg-dev (unpacks the libraries' sources)"
	$(call apt_install,$(WEB_DEBS))

web-deps-check:
	@if ! command -v $(EMCC) >/dev/null || ! command -v node >/dev/null \
	   || ! command -v dpkg-source >/dev/null; then \
	    $(MAKE) --no-print-directory web-deps; fi

$(WASM)/deps/libyaml.a: plots/web/debsrc.sh
	@$(MAKE) --no-print-directory web-deps-check
	$(Q)$(EM_ENV) EMCC="$(EMCC)" EMAR="$(EMAR)" sh plots/web/debsrc.sh $(WASM)/deps

$(WASM)/deps/libcsv.a: $(WASM)/deps/libyaml.a

$(WASM)/obj/%.o: sim/%.c $(HEADERS) $(WEB_LIBS) $(WASM)/flags
	@mkdir -p $(@D)
	$(Q)$(EM_ENV) $(EMCC) $(WARN) $(WEB_CPPFLAGS) -O2 -c $< -o $@

$(WASM)/gilsim-cli.js: sim/cli/main.c $(WEB_OBJ) $(WEB_LIBS) $(HEADERS) build/gen/version.h $(WASM)/flags
	$(Q)$(EM_ENV) $(EMCC) $(WARN) $(WEB_CPPFLAGS) -Ibuild/gen $(WEB_LINK) -sNODERAWFS=1 \
	    -sSINGLE_FILE=1 -sENVIRONMENT=node sim/cli/main.c $(WEB_OBJ) $(WEB_LIBS) -lm -o $@

$(WASM)/gilsim-node: $(WASM)/gilsim-cli.js
	@printf '#!/bin/sh\n# gilsim compiled to WebAssembly, run by node (make web)\nexec node "$$(dirname "$$0")/gilsim-cli.js" "$$@"\n' >$@
	@chmod +x $@

# The page in a real, headless Chromium (tests/web/browser.js, over the
# DevTools protocol with Debian's node-ws); screenshots into
# build/web-test/.  Part of make test where chromium and node-ws are
# installed (.ci/run installs them).
web-browser-check:
	@if ! command -v chromium >/dev/null || ! command -v node >/dev/null \
	   || [ ! -f /usr/share/nodejs/ws/package.json ] || ! command -v $(EMCC) >/dev/null; then \
	    echo "web-browser-check: skipped: no chromium, node-ws or emcc (apt-get install chromium node-ws emscripten)"; \
	    exit 0; fi; \
	$(MAKE) --no-print-directory build/gilsim web && \
	NODE_PATH=/usr/share/nodejs node tests/web/browser.js build/web build/gilsim build/web-test

# The WebAssembly build gives the native build's outputs, byte for byte,
# for every shipped config (part of make test where emcc and node are
# installed; .ci/run installs them).
web-check:
	@if ! command -v $(EMCC) >/dev/null || ! command -v node >/dev/null; then \
	    echo "web-check: skipped: no emcc or node (apt-get install emscripten nodejs)"; exit 0; fi; \
	$(MAKE) --no-print-directory build/gilsim $(WASM)/gilsim-node && \
	sh tests/identical.sh build/gilsim $(WASM)/gilsim-node
