package com.gitblit.plugin.goproxy.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Who the client of a request is, for limits kept per client. Rules:
 * <ul>
 *   <li>The connection's peer is the client, unless it is one of the listed trusted proxies: then
 *       {@code X-Forwarded-For} is read from the right (the entry the nearest proxy added) leftwards, and the
 *       first entry that is not itself a trusted proxy is the client. A header from any other peer is ignored,
 *       since a client can write what it likes there.</li>
 *   <li>An entry that is no IP address ends the walk: the last trusted hop stands for the client, so garbage
 *       cannot buy a fresh identity.</li>
 *   <li>IPv6 clients are counted per /64: one subscriber usually holds a whole /64.</li>
 * </ul>
 * Addresses are parsed here, never looked up: a host name in a header must not cause a DNS query.
 */
public final class ClientAddresses {
    private static final ClientAddresses NO_PROXIES = new ClientAddresses(Collections.<Range>emptyList());

    private final List<Range> trusted;

    private ClientAddresses(List<Range> trusted) {
        this.trusted = trusted;
    }

    /** No trusted proxies: the peer is always the client. */
    public static ClientAddresses direct() {
        return NO_PROXIES;
    }

    /**
     * Trusting the proxies of {@code list}: IP addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}),
     * separated by commas or spaces; {@code null} or blank for none.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ClientAddresses trusting(String list) {
        if (list == null || list.trim().isEmpty()) {
            return NO_PROXIES;
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : list.trim().split("[,\\s]+")) {
            ranges.add(Range.parse(entry));
        }
        return new ClientAddresses(ranges);
    }

    /** True when the peer is a listed trusted proxy (so its forwarding headers count). */
    public boolean isTrustedProxy(String peer) {
        byte[] address = parse(peer);
        return address != null && trusts(address);
    }

    /**
     * The client's key: its address, IPv6 cut to the /64.
     *
     * @param peer the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} header values in the order received; may be empty
     */
    public String clientOf(String peer, List<String> forwardedFor) {
        byte[] client = parse(peer);
        if (client == null) {
            return peer == null ? "unknown" : peer;
        }
        if (!trusts(client) || forwardedFor == null || forwardedFor.isEmpty()) {
            return key(client);
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = parse(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return key(client);
    }

    private boolean trusts(byte[] address) {
        for (Range r : trusted) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String key(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            s.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
        }
        return s.append(":/64").toString();
    }

    /**
     * An IP address in the forms found in {@code X-Forwarded-For} and {@code getRemoteAddr()}: IPv4,
     * IPv6, {@code [IPv6]}, either with a {@code :port}. IPv4-mapped IPv6 addresses become IPv4. {@code null}
     * for anything else.
     */
    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            s = s.substring(1, close);
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':'));
        }
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        try {
            // With a colon and only hex digits, dots and colons, this is parsed as a literal, never resolved.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** An address with a prefix length. */
    private static final class Range {
        final byte[] network;
        final int bits;

        Range(byte[] network, int bits) {
            this.network = network;
            this.bits = bits;
        }

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] address = ClientAddresses.parse(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + entry);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + entry);
                }
            }
            return new Range(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
