package org.lprgateway.security;

/**
 * Who a request comes from: a role ({@code operator}, {@code viewer}, {@code camera},
 * {@code cameras}) and a name (the camera id for role {@code camera}).
 */
public record Principal(String role, String name) {

    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    public static final String CAMERA = "camera";
    public static final String CAMERAS = "cameras";

    public boolean may(Access access) {
        return switch (access) {
            case INGEST -> OPERATOR.equals(role) || CAMERA.equals(role) || CAMERAS.equals(role);
            case READ -> OPERATOR.equals(role) || VIEWER.equals(role);
            case OPERATE -> OPERATOR.equals(role);
        };
    }

    /** What a request needs. */
    public enum Access {
        /** send records */
        INGEST,
        /** look: GET on management, metrics, Jolokia reads */
        READ,
        /** change or command anything */
        OPERATE
    }
}
