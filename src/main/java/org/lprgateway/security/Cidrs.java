package org.lprgateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of address blocks ({@code 10.0.0.0/8}, {@code ::1/128}, or a single address). */
public final class Cidrs {

    private record Block(byte[] network, int bits) {
    }

    private final List<Block> blocks = new ArrayList<>();
    private final String text;

    /**
     * @param list comma-separated blocks; literal addresses only, never host names
     * @throws IllegalArgumentException naming the entry that is not an address block
     */
    public Cidrs(String list) {
        this.text = list == null ? "" : list.trim();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            String address = slash < 0 ? e : e.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an address block: " + e);
            }
            try {
                byte[] network = InetAddress.getByName(address).getAddress();
                int bits = slash < 0 ? network.length * 8 : Integer.parseInt(e.substring(slash + 1));
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("prefix length out of range: " + e);
                }
                blocks.add(new Block(network, bits));
            } catch (UnknownHostException | NumberFormatException ex) {
                throw new IllegalArgumentException("not an address block: " + e, ex);
            }
        }
    }

    public boolean contains(String address) {
        String literal = address == null ? "" : address.replaceFirst("%.*$", "").replaceAll("^\\[|]$", "");
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return false; // never a name: no lookup is made
        }
        byte[] a;
        try {
            a = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Block b : blocks) {
            byte[] candidate = a;
            if (candidate.length != b.network().length) {
                candidate = mapped(a, b.network().length);
                if (candidate == null) {
                    continue;
                }
            }
            if (matches(candidate, b.network(), b.bits())) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4 address as IPv4-mapped IPv6 and back, so one list covers dual-stack listeners. */
    private static byte[] mapped(byte[] a, int length) {
        if (a.length == 4 && length == 16) {
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(a, 0, m, 12, 4);
            return m;
        }
        if (a.length == 16 && length == 4) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return null;
                }
            }
            if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
                return null;
            }
            byte[] m = new byte[4];
            System.arraycopy(a, 12, m, 0, 4);
            return m;
        }
        return null;
    }

    private static boolean matches(byte[] a, byte[] network, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
