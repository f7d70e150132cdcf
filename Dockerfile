# Runtime image of the gateway: build the jar first (mvn -DskipTests package).
FROM eclipse-temurin:17-jre
WORKDIR /opt/lpr-gateway
COPY target/lpr-gateway.jar lpr-gateway.jar
COPY application.properties application.properties
COPY routes routes
RUN mkdir -p data log
# role and every setting come from the environment (GATEWAY_ROLE, REST_URL, ...) or arguments
ENTRYPOINT ["java", "-Xmx128m", "-XX:+UseSerialGC", "-jar", "lpr-gateway.jar"]
