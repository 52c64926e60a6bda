# canary-judge container image: `docker build -t canary-judge .` from the repository root.
# Stage 1 builds the executable jar from source (tests are run by CI, not here); stage 2 is a JRE
# with the jar and nothing else, running as a non-root numeric user so Kubernetes can enforce
# runAsNonRoot (examples/kubernetes/deployment.yaml uses the same UID).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 judge \
 && useradd --system --uid 10001 --gid judge --no-create-home --shell /usr/sbin/nologin judge
COPY --from=build /src/canary-judge/target/canary-judge.jar /app/canary-judge.jar
USER 10001:10001
EXPOSE 8080
# `serve` starts the HTTP service; `compare` and `collapse` run the command line tool instead
# (docker run --rm -v "$PWD:/data" canary-judge compare --baseline /data/... --canary /data/...).
ENTRYPOINT ["java", "-jar", "/app/canary-judge.jar"]
CMD ["serve"]
