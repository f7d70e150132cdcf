package org.lprgateway.support;

import java.io.IOException;
import java.net.ServerSocket;

public final class Ports {

    private Ports() {
    }

    /** A TCP port free on loopback at the time of the call. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
