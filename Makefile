# Cuebook — the two commands a newcomer needs are `make run` and `make test`.

SHARED   ?= $(abspath ../shared)
CORPUS   ?= $(abspath target/corpus)
REFERENCE = $(abspath target/fixtures/reference)
DB       ?=
DIR      ?=
CARGO    ?= cargo

.PHONY: run test e2e package bootstrap ui corpus reference bench bench-annotate bench-lists bench-articles bench-preview bench-app fmt lint clean

bootstrap:
	@scripts/bootstrap.sh

# Builds and opens the desktop app (the catalog in the platform data folder, or DB=...). DIR=/path
# adds that folder to the library first; a first run without folders greets you and asks for one.
run: bootstrap ui
	$(CARGO) build --release -p cuebook-desktop --bin cuebook-desktop -p cuebook --bin cuebook
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display: the app needs a desktop session. The command-line tool works anywhere:"; \
	  echo "  target/release/cuebook --help"; exit 2; \
	fi
	@if [ -n "$(DIR)" ]; then target/release/cuebook $(if $(DB),--db "$(DB)") roots add "$(DIR)" || true; fi
	$(if $(DB),CUEBOOK_DB="$(DB)") target/release/cuebook-desktop

# The app's front end: its unit tests, type check and the static build the desktop crate embeds.
ui: bootstrap
	cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run --silent check && npm run --silent build

test: bootstrap corpus ui
	cd ui && npm test --silent
	CUEBOOK_CORPUS="$(CORPUS)" $(CARGO) test --workspace --all-targets
	$(E2E)

# The real app under Xvfb through tauri-driver; screenshots in target/e2e/.
define E2E
$(CARGO) build -p cuebook-desktop
PATH="$$HOME/.cargo/bin:$$PATH" xvfb-run -a -s "-screen 0 1280x860x24" node --test --test-concurrency=1 e2e/
endef

e2e: ui
	$(E2E)

# A .deb of the desktop app, built by the Tauri CLI (from ui/node_modules) into target/release/bundle/deb/.
package: bootstrap ui
	ui/node_modules/.bin/tauri build --bundles deb
	@ls -1 target/release/bundle/deb/*.deb

corpus:
	@if [ -x "$(SHARED)/corpus/fetch.sh" ]; then bash "$(SHARED)/corpus/fetch.sh" "$(CORPUS)"; \
	else echo "corpus: $(SHARED)/corpus/fetch.sh not found; tests that need real audio will be skipped"; fi

reference: corpus
	$(CARGO) run --release -q -p cuebook-testkit -- reference --corpus "$(CORPUS)" \
	  --spec "$(SHARED)/library/soundtracks.json" --out "$(REFERENCE)"

# Scan and search benchmark on generated libraries (FILES=20000 or 100000), with beets for comparison.
FILES ?= 20000
bench: bootstrap corpus
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(FILES)

# Annotations at scale on a copy of the generated catalog (made once, like bench-app's).
bench-annotate: bootstrap corpus
	@if [ ! -f target/bench/catalog-$(APP_FILES).sqlite ]; then \
	  $(CARGO) build --release --bin cuebook && \
	  $(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --beets-files 0 --repeat 1; fi
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --annotate --repeat 20

# Lists, exports and imports at scale on a copy of the generated catalog (made once, like bench-app's).
bench-lists: bootstrap corpus
	@if [ ! -f target/bench/catalog-$(APP_FILES).sqlite ]; then \
	  $(CARGO) build --release --bin cuebook && \
	  $(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --beets-files 0 --repeat 1; fi
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --lists --repeat 20

# Importing and linking a long article (../shared/articles) on a copy of the generated catalog (made
# once, like bench-app's), in process and through the cuebook CLI.
bench-articles: bootstrap corpus
	@if [ ! -f target/bench/catalog-$(APP_FILES).sqlite ]; then \
	  $(CARGO) build --release --bin cuebook && \
	  $(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --beets-files 0 --repeat 1; fi
	$(CARGO) build --release --bin cuebook
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --articles --repeat 20

bench-preview: bootstrap corpus
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --preview

# The app on a generated catalog of APP_FILES tracks (made once by the scan benchmark, without
# beets): start to the first album grid, memory, table scrolling, search as you type.
APP_FILES ?= 100000
bench-app: bootstrap corpus ui
	@if [ ! -f target/bench/catalog-$(APP_FILES).sqlite ]; then \
	  $(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --files $(APP_FILES) --beets-files 0 --repeat 1; fi
	$(CARGO) build --release -p cuebook-desktop -p cuebook --bin cuebook-desktop --bin cuebook
	@# Migrations run once, here, not in every measured start.
	target/release/cuebook --db target/bench/catalog-$(APP_FILES).sqlite stats > /dev/null
	PATH="$$HOME/.cargo/bin:$$PATH" xvfb-run -a -s "-screen 0 1280x860x24" node bench/app.mjs target/bench/catalog-$(APP_FILES).sqlite

fmt:
	$(CARGO) fmt --all

lint: ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
