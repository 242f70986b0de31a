# Placeholder; the real targets arrive with the operator foundation.
MVN ?= mvn -B
test:
	$(MVN) verify
.PHONY: test
