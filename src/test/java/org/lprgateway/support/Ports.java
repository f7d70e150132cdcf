package org.lprgateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the processes and servers a test starts. They come from 10000-29999, below the
 * ephemeral range the system gives outgoing connections (32768 and up here): a port picked from
 * that range could be taken by any client's connection before the test's process binds it. Each
 * test JVM (failsafe fork, {@code test.fork}) has its own 5 000 ports, handed out in turn, so two
 * forks never pick the same one and a JVM does not hand one out twice.
 */
public final class Ports {

    private static final int SPAN = 5000;
    private static final int BASE = 10000 + Math.floorMod(Integer.getInteger("test.fork", 0), 4) * SPAN;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SPAN));

    private Ports() {
    }

    /** A TCP port nothing listens on (any address) at the time of the call, not handed out before by this JVM. */
    public static int free() {
        for (int i = 0; i < SPAN; i++) {
            int port = BASE + Math.floorMod(NEXT.getAndIncrement(), SPAN);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException busy) {
                // taken: the next one
            }
        }
        throw new IllegalStateException("no free port in " + BASE + "-" + (BASE + SPAN - 1));
    }
}
