package org.lprgateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal HTTP calls for tests. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    public static HttpResponse<String> postJson(String url, String json) {
        return send(request(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static HttpResponse<String> delete(String url) {
        return send(request(url).DELETE());
    }

    public static HttpResponse<String> get(String url) {
        return send(request(url).GET());
    }

    /** As the operator: every test process accepts {@link TestCredentials#OPERATOR}. */
    private static HttpRequest.Builder request(String url) {
        return anonymous(url).header("X-API-Key", TestCredentials.OPERATOR);
    }

    /** A request without any credential, for tests of what is refused. */
    public static HttpRequest.Builder anonymous(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    }

    /** Sends a request a test built itself (its own headers, credential or none). */
    public static HttpResponse<String> send(HttpRequest request) {
        return send(HttpRequest.newBuilder(request, (n, v) -> true));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A valid seed 003 detection message; {@code messageId} may be null (the Python sender sends none). */
    public static String detection(String messageId, String plate) {
        return "{" + (messageId == null ? "" : "\"message_id\":\"" + messageId + "\",")
                + "\"table\":\"lpr_detection\",\"action\":\"insert\",\"data\":{\"license_plate\":\"" + plate + "\","
                + "\"confidence\":95.5,\"checkpoint_id\":\"1\",\"timestamp\":\"2024-08-06T10:30:00\",\"hostname\":\"aicamera\","
                + "\"vehicle_type\":\"\",\"vehicle_color\":\"\",\"latitude\":\"\",\"longitude\":\"\",\"image\":null,"
                + "\"exposure_time\":0.033,\"analog_gain\":1.0,\"lux\":250}}";
    }
}
