package org.lprgateway.support;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.AfterEach;

/** Base of tests that start processes and servers: everything tracked is closed after each test, newest first. */
public abstract class ProcessTest {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    protected <T extends AutoCloseable> T track(T resource) {
        started.push(resource);
        return resource;
    }

    @AfterEach
    void closeTracked() throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
