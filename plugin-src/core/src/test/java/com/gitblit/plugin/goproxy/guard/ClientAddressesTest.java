package com.gitblit.plugin.goproxy.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private static List<String> xff(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        ClientAddresses direct = ClientAddresses.direct();
        assertEquals("192.0.2.7", direct.clientOf("192.0.2.7", xff("203.0.113.9")));
        assertEquals("192.0.2.7", ClientAddresses.trusting("10.0.0.0/8").clientOf("192.0.2.7", xff("203.0.113.9")),
                "a peer that is not a listed proxy cannot name another client");
    }

    @Test
    void behindTrustedProxiesTheFirstUntrustedHopFromTheRightIsTheClient() {
        ClientAddresses a = ClientAddresses.trusting("10.0.0.0/8, 192.0.2.1 2001:db8::/32");
        assertEquals("203.0.113.9", a.clientOf("10.1.2.3", xff("203.0.113.9")));
        assertEquals("203.0.113.9", a.clientOf("10.1.2.3", xff("198.51.100.1, 203.0.113.9", "10.9.9.9")),
                "what the client wrote itself (198.51.100.1) is left of the first untrusted hop and ignored");
        assertEquals("203.0.113.9", a.clientOf("192.0.2.1", xff("203.0.113.9:5555")), "a port is dropped");
        assertEquals("10.1.1.1", a.clientOf("10.1.2.3", xff("10.1.1.1")), "all hops trusted: the leftmost");
        assertEquals("10.1.2.3", a.clientOf("10.1.2.3", Collections.<String>emptyList()));
        assertEquals("10.1.2.3", a.clientOf("10.1.2.3", xff("not-an-address")),
                "garbage stops the walk at the last trusted hop");
        assertEquals("10.9.9.9", a.clientOf("10.1.2.3", xff("evil.example, 10.9.9.9")));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        ClientAddresses a = ClientAddresses.direct();
        assertEquals(a.clientOf("2001:db8:1:2:aaaa::1", null), a.clientOf("2001:db8:1:2:bbbb::99", null));
        assertFalse(a.clientOf("2001:db8:1:2::1", null).equals(a.clientOf("2001:db8:1:3::1", null)));
        assertEquals("192.0.2.5", a.clientOf("::ffff:192.0.2.5", null), "IPv4-mapped is IPv4");
        assertEquals("2001:db8:1:2::/64", a.clientOf("[2001:db8:1:2::1]:443", null));
    }

    @Test
    void trustedProxyListsAcceptAddressesAndCidrRangesOnly() {
        ClientAddresses a = ClientAddresses.trusting("127.0.0.1,::1 172.16.0.0/12");
        assertTrue(a.isTrustedProxy("127.0.0.1"));
        assertTrue(a.isTrustedProxy("0:0:0:0:0:0:0:1"));
        assertTrue(a.isTrustedProxy("172.31.255.255"));
        assertFalse(a.isTrustedProxy("172.32.0.0"));
        assertFalse(a.isTrustedProxy("localhost"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("proxy.example.com"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("10.0.0.256"));
        assertFalse(ClientAddresses.trusting(" ").isTrustedProxy("127.0.0.1"));
    }

    @Test
    void addressesAreParsedNeverResolved() {
        assertNull(ClientAddresses.parse("example.com"));
        assertNull(ClientAddresses.parse("1.2.3"));
        assertNull(ClientAddresses.parse("1.2.3.4.5"));
        assertNull(ClientAddresses.parse("fe80::1%eth0"));
        assertNull(ClientAddresses.parse("::g"));
        assertEquals(16, ClientAddresses.parse("::1").length);
    }
}
