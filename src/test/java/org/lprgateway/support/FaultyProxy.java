package org.lprgateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP proxy on loopback that injects faults between a client and a real server: a delay before
 * each forwarded chunk of the client's bytes (latency) and a share of connections dropped at once
 * (loss). Settings change while it runs. With {@link #record()} it also keeps every byte the
 * clients sent, for tests that look at what crossed the wire.
 */
public final class FaultyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile long delayMillis;
    private volatile double dropRatio;
    private volatile java.io.ByteArrayOutputStream recorded;

    public FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public FaultyProxy delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public FaultyProxy drop(double ratio) {
        this.dropRatio = ratio;
        return this;
    }

    /** Keeps what the clients send from now on (see {@link #clientBytes()}). */
    public FaultyProxy record() {
        this.recorded = new java.io.ByteArrayOutputStream();
        return this;
    }

    /** Every byte the clients sent since {@link #record()}, connections one after another as they arrived. */
    public byte[] clientBytes() {
        java.io.ByteArrayOutputStream r = recorded;
        if (r == null) {
            throw new IllegalStateException("record() was not called");
        }
        synchronized (r) {
            return r.toByteArray();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (ThreadLocalRandom.current().nextDouble() < dropRatio) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pool.submit(() -> pipe(client, server, true));
                pool.submit(() -> pipe(server, client, false));
            } catch (IOException e) {
                // listener closed, or the target refused: the client sees a closed connection
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean delayed) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (delayed && delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                java.io.ByteArrayOutputStream r = recorded;
                if (delayed && r != null) {
                    synchronized (r) {
                        r.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }
}
