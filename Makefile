.PHONY: run test lint install
run:      ## install, migrate, load demo data and serve Haven on http://127.0.0.1:8000
	scripts/run
test:     ## install the development dependencies and run every check and test
	scripts/test
lint:
	.venv/bin/ruff check . && .venv/bin/mypy haven config && .venv/bin/lint-imports
install:
	scripts/bootstrap test
.PHONY: bench
bench:    ## time `haven import` of 100,000 properties and 200,000 people on a throwaway database (docs/benchmarks.md)
	scripts/bench-import
.PHONY: bench-cases
bench-cases:  ## query counts and times of the case list, case page and cases API with 100,000 cases (docs/benchmarks.md)
	scripts/bench-cases
