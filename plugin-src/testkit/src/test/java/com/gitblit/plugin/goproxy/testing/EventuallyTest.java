package com.gitblit.plugin.goproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The one wait: it returns what came, fails on its deadline naming what it waited for, and lets errors through. */
class EventuallyTest {
    @Test
    void returnsTheFirstValueThatCame() {
        AtomicInteger calls = new AtomicInteger();
        String value = Eventually.within(Duration.ofSeconds(10))
                .value("the third call", () -> calls.incrementAndGet() < 3 ? null : "there");
        assertEquals("there", value);
        assertEquals(3, calls.get());
    }

    @Test
    void failsAtTheDeadlineNamingWhatItWaitedForAndWhatItSaw() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.within(Duration.ofMillis(300))
                .describing(() -> "3 temp files").until("no temp files", () -> false));
        long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(millis >= 300, "waited " + millis + " ms");
        assertTrue(e.getMessage().startsWith("timed out after 300 ms waiting for: no temp files"), e.getMessage());
        assertTrue(e.getMessage().contains("last seen: 3 temp files"), e.getMessage());
    }

    @Test
    void anExceptionIsNotYetAndTheLastOneIsReported() {
        IOException refused = new IOException("connection refused");
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.within(Duration.ofMillis(100))
                .until("a server", () -> {
                    throw refused;
                }));
        assertSame(refused, e.getCause());
        assertTrue(e.getMessage().contains("last attempt failed: java.io.IOException: connection refused"), e.getMessage());
    }

    @Test
    void anErrorEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError died = new AssertionError("the process died");
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.within(Duration.ofMinutes(5))
                .until("a process", () -> {
                    calls.incrementAndGet();
                    throw died;
                }));
        assertSame(died, e);
        assertEquals(1, calls.get());
    }
}
