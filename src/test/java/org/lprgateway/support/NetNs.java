package org.lprgateway.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second host on this machine: a network namespace joined to the host by a veth pair on its own
 * /30 ({@link #hostAddress()} on the host's end, {@link #address()} inside). {@link #blackhole()}
 * takes the host's end down, so that packets either way are dropped without an answer, as on a cut
 * cable; {@link #restore()} brings it back. Before that, a lower-priority route for the /30 points
 * into a veth whose far end is down, so that while the link is down nothing for the namespace's
 * address is routed anywhere else (the default route, off the machine). Needs root.
 */
public final class NetNs implements AutoCloseable {

    private final String name;
    private final String hostIf;
    private final String nsIf;
    private final String deadIf;
    private final String deadPeer;
    private final String prefix;

    public NetNs(String tag) throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        int octet = (int) (pid % 250) + 1;
        this.name = "lpr-" + tag + "-" + pid;
        String id = Long.toString(pid % 100000);
        this.hostIf = "lpr" + id + "h";
        this.nsIf = "lpr" + id + "n";
        this.deadIf = "lpr" + id + "d";
        this.deadPeer = "lpr" + id + "e";
        this.prefix = "10.213." + octet + ".";
        removeLeftovers(tag);
        close();
        run("ip", "netns", "add", name);
        run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
        run("ip", "link", "set", nsIf, "netns", name);
        run("ip", "addr", "add", hostAddress() + "/30", "dev", hostIf);
        run("ip", "link", "set", hostIf, "up");
        inside("ip", "addr", "add", address() + "/30", "dev", nsIf);
        inside("ip", "link", "set", nsIf, "up");
        inside("ip", "link", "set", "lo", "up");
        // the fallback route first: into a veth whose peer stays down, so it carries nothing
        run("ip", "link", "add", deadIf, "type", "veth", "peer", "name", deadPeer);
        run("ip", "link", "set", deadIf, "up");
        run("ip", "route", "add", prefix + "0/30", "dev", deadIf, "metric", "1000");
    }

    /** The namespace's own address. */
    public String address() {
        return prefix + "2";
    }

    /** The host's address on the link: what a process in the namespace connects to. */
    public String hostAddress() {
        return prefix + "1";
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Cuts the link: from now on packets either way vanish (no reset, no unreachable). */
    public void blackhole() throws IOException, InterruptedException {
        run("ip", "link", "set", hostIf, "down");
        String route = output("ip", "route", "get", address());
        if (!route.contains("dev " + deadIf)) {
            throw new IllegalStateException("while the link is down " + address() + " must route into " + deadIf + ", not: " + route);
        }
    }

    /** Mends the link. */
    public void restore() throws IOException, InterruptedException {
        run("ip", "link", "set", hostIf, "up");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        quietly("ip", "netns", "del", name);
        quietly("ip", "link", "del", hostIf);
        quietly("ip", "link", "del", deadIf);
    }

    /** Namespaces and links of test JVMs that were killed before they could remove them. */
    private static void removeLeftovers(String tag) throws IOException, InterruptedException {
        for (String line : output("ip", "netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (ns.startsWith("lpr-" + tag + "-")) {
                long pid = Long.parseLong(ns.substring(ns.lastIndexOf('-') + 1));
                if (ProcessHandle.of(pid).isEmpty()) {
                    String id = Long.toString(pid % 100000);
                    quietly("ip", "netns", "del", ns);
                    quietly("ip", "link", "del", "lpr" + id + "h");
                    quietly("ip", "link", "del", "lpr" + id + "d");
                }
            }
        }
    }

    private void inside(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(exec());
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        output(command);
    }

    /** The command's output, or an exception with it when the command fails. */
    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip()
                    + (out.contains("Operation not permitted") ? " (network namespaces need root)" : ""));
        }
        return out;
    }

    private static void quietly(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(20, TimeUnit.SECONDS);
    }
}
