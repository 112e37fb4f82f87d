# One image recipe for every Braid service: docker build --build-arg SERVICE=dataset-service -t braid/dataset-service:0.1.0 .
# (docker compose build builds and tags all five, under the names deploy/k8s uses)
# The build stage runs the same Maven build as on a workstation (identical for every service, so
# Docker builds it once and reuses the layer); the runtime stage holds one service's jar.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/braid braid \
    && mkdir -p /var/lib/braid/blobs && chown -R braid:braid /var/lib/braid
# the blob volume is mounted at /var/lib/braid/blobs: the directory exists in the image, owned by braid, so a new
# named volume starts with that owner (Docker copies it) and uid 10001 can store datasets' images and models
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
USER braid
ENV BRAID_HOME=/var/lib/braid
# MKL's matrix products give the same bits whatever their buffers' alignment: a resumed training run is exact
ENV MKL_CBWR=AUTO,STRICT
# The heap's share of the container's memory. PyTorch and ONNX Runtime allocate off the heap (tensors, loaded models,
# the MiniLM session), so training and inference run with 40 % (compose and deploy/k8s set it); the others keep 75 %.
ENV BRAID_JAVA_OPTS="-XX:MaxRAMPercentage=75"
# management port (actuator: health, info, prometheus) on every interface of the container, for probes and scrapers
ENV BRAID_MANAGEMENT_ADDRESS=0.0.0.0
ENTRYPOINT ["sh", "-c", "exec java $BRAID_JAVA_OPTS -Dai.djl.offline=true -jar /app/service.jar"]
