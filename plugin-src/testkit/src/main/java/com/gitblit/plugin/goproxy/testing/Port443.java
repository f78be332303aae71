package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * 127.0.0.1:443, the only port go-get discovery asks. Binding it needs root (CI runs as root), and the tests
 * that serve it (discovery, nginx in front of Gitblit) may follow each other closely: wait until it is free.
 */
public final class Port443 {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private Port443() {
    }

    /** Returns once 127.0.0.1:443 can be bound; fails at once without root, after 2 minutes if it stays busy. */
    public static void awaitFree() throws InterruptedException {
        Eventually.within(WAIT).until("127.0.0.1:443 to be free", Port443::free);
    }

    private static boolean free() throws IOException {
        try (ServerSocket probe = new ServerSocket(443, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (BindException e) {
            if (e.getMessage() != null && e.getMessage().contains("Permission denied")) {
                throw new AssertionError("this test serves HTTPS on 127.0.0.1:443, the only port go-get discovery"
                        + " uses; that needs root (CI runs as root): " + e.getMessage());
            }
            throw e; // busy: not yet, and the reason if it stays so
        } catch (IOException e) {
            throw new AssertionError("cannot probe 127.0.0.1:443: " + e, e);
        }
    }
}
