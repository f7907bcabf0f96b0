# Cuebook — the two commands a newcomer needs are `make run` and `make test`.

SHARED   ?= $(abspath ../shared)
CORPUS   ?= $(abspath target/corpus)
REFERENCE = $(abspath target/fixtures/reference)
DB       ?= $(abspath target/run/library.sqlite)
DIR      ?=
CARGO    ?= cargo

.PHONY: run test e2e bootstrap ui corpus reference bench bench-preview fmt lint clean

bootstrap:
	@scripts/bootstrap.sh

# Catalogs DIR (default: the reference collection built from ../shared) and prints the summary.
run: bootstrap
	$(CARGO) build --release --bin cuebook
	@dir="$(DIR)"; \
	if [ -z "$$dir" ]; then \
	  if [ -f "$(SHARED)/library/soundtracks.json" ]; then \
	    $(MAKE) --no-print-directory reference && dir="$(REFERENCE)"; \
	  else \
	    echo "No DIR given and no ../shared reference collection: run 'make run DIR=/path/to/music'"; exit 2; \
	  fi; \
	fi; \
	bin=target/release/cuebook; \
	$$bin --db "$(DB)" roots add "$$dir" && $$bin --db "$(DB)" scan && $$bin --db "$(DB)" stats && \
	echo && echo "Catalog: $(DB)   Try: $$bin --db $(DB) albums   |   $$bin --db $(DB) ls amelie   |   $$bin help-search"

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
PATH="$$HOME/.cargo/bin:$$PATH" xvfb-run -a -s "-screen 0 1280x860x24" node --test e2e/
endef

e2e: ui
	$(E2E)

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

bench-preview: bootstrap corpus
	$(CARGO) run --release -p cuebook-bench -- --corpus "$(CORPUS)" --preview

fmt:
	$(CARGO) fmt --all

lint: ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
