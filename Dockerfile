# One image recipe for every Braid service: docker build --build-arg SERVICE=dataset-service .
# The build stage runs the same Maven build as on a workstation (identical for every service, so
# Docker builds it once and reuses the layer); the runtime stage holds one service's jar.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/braid braid && mkdir -p /var/lib/braid && chown braid /var/lib/braid
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
USER braid
ENV BRAID_HOME=/var/lib/braid
# MKL's matrix products give the same bits whatever their buffers' alignment: a resumed training run is exact
ENV MKL_CBWR=AUTO,STRICT
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dai.djl.offline=true", "-jar", "/app/service.jar"]
