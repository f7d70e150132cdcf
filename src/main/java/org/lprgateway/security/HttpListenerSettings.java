package org.lprgateway.security;

/**
 * Settings of the main HTTP listener that Camel's {@code camel.server.*} lacks.
 *
 * @param tlsEnabled          {@code tls.http.enabled}: TLS only on the port
 * @param headerTimeoutMillis {@code http.headerTimeoutMillis}: time to complete a request's headers; 0: none
 * @param idleTimeoutSeconds  {@code http.idleTimeoutSeconds}: silent connections are closed; 0: never
 */
public record HttpListenerSettings(boolean tlsEnabled, long headerTimeoutMillis, int idleTimeoutSeconds) {
}
