# syntax=docker/dockerfile:1
# The Stagegate operator image.
#
#   docker build -t registry.example.com/stagegate-operator:0.1.0 .
#   docker push registry.example.com/stagegate-operator:0.1.0
#   helm install stagegate helm/stagegate --set image.repository=registry.example.com/stagegate-operator
#
# Stage 1 builds the runnable (shaded) jar with Maven; stage 2 runs it on a small JRE-only base
# without a shell or package manager, as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The root POM lists every module, so each module's POM must be there; only operator and the
# sandbox module it builds on are compiled.
COPY pom.xml ./
COPY sandbox/pom.xml sandbox/
COPY operator/pom.xml operator/
COPY demo/pom.xml demo/
COPY cli/pom.xml cli/
COPY bench/pom.xml bench/
COPY sandbox/src/main sandbox/src/main
COPY operator/src/main operator/src/main
# Tests run in CI (make test), not in the image build. The cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl operator -am -Dmaven.test.skip=true package

# Distroless Java 17: the JRE, CA certificates and glibc only; uid 65532 ("nonroot").
FROM gcr.io/distroless/java17-debian12:nonroot
LABEL org.opencontainers.image.title="stagegate-operator" \
      org.opencontainers.image.description="Staged, evidence-gated Releases and DataMigrations for Kubernetes"
COPY --from=build /src/operator/target/stagegate-operator.jar /app/stagegate-operator.jar
# Numeric, so Kubernetes can verify runAsNonRoot; the chart runs the pod as the same uid.
USER 65532:65532
# /metrics, /healthz, /readyz (STAGEGATE_PORT).
EXPOSE 8080
# The heap follows the container's memory limit; an OutOfMemoryError restarts the pod instead of
# leaving a half-working operator. Overridable with JAVA_TOOL_OPTIONS (the chart's javaOptions).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# -XX:-UsePerfData: no hsperfdata files, so a read-only root filesystem needs nothing but /tmp.
ENTRYPOINT ["/usr/bin/java", "-XX:-UsePerfData", "-jar", "/app/stagegate-operator.jar"]
