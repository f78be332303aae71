package com.gitblit.plugin.goproxy.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled;

class PasswordGuardTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger verifications = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private PasswordGuard<String> guard(int maxChecks) {
        return new PasswordGuard<>(new PasswordGuard.Settings().maxConcurrentChecks(maxChecks)
                .remember(300, 60, TimeUnit.SECONDS).lockAfter(5, 30, 900, TimeUnit.SECONDS), now::get);
    }

    private static BasicCredentials basic(String user, String password) {
        return BasicCredentials.parse("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Alice's password is "right"; every check is counted. */
    private PasswordGuard.Check<String> check(BasicCredentials c) {
        return new PasswordGuard.Check<String>() {
            @Override
            public String verify() {
                verifications.incrementAndGet();
                return c.user().equals("alice") && c.password().equals("right") ? "alice" : null;
            }

            @Override
            public String refresh(String earlier) {
                return earlier;
            }
        };
    }

    private String signIn(PasswordGuard<String> guard, String client, String user, String password) {
        BasicCredentials c = basic(user, password);
        return guard.authenticate(client, c, check(c));
    }

    @Test
    void aRecentFailureIsAnsweredWithoutAnotherCheck() {
        PasswordGuard<String> guard = guard(2);
        for (int i = 0; i < 100; i++) {
            assertNull(signIn(guard, "192.0.2.1", "alice", "stale"));
        }
        assertEquals(1, verifications.get(), "a repeated wrong password pays for one check");
        now.addAndGet(61_000);
        assertNull(signIn(guard, "192.0.2.1", "alice", "stale"));
        assertEquals(2, verifications.get(), "remembered for a minute");
    }

    @Test
    void aRecentSuccessIsAnsweredWithoutAnotherCheckWhileTheHostConfirmsIt() {
        PasswordGuard<String> guard = guard(2);
        for (int i = 0; i < 100; i++) {
            assertEquals("alice", signIn(guard, "192.0.2.1", "alice", "right"));
        }
        assertEquals(1, verifications.get());
        BasicCredentials c = basic("alice", "right");
        String gone = guard.authenticate("192.0.2.1", c, new PasswordGuard.Check<String>() {
            @Override
            public String verify() {
                verifications.incrementAndGet();
                return null;
            }

            @Override
            public String refresh(String earlier) {
                return null;
            }
        });
        assertNull(gone, "a success the host no longer confirms is checked again");
        assertEquals(2, verifications.get());
    }

    @Test
    void wrongPasswordsFromOneClientLockThatClientOutForThatUserOnly() {
        PasswordGuard<String> guard = guard(2);
        for (int i = 0; i < 5; i++) {
            assertNull(signIn(guard, "192.0.2.66", "alice", "guess" + i));
        }
        AuthenticationThrottled locked = assertThrows(AuthenticationThrottled.class,
                () -> signIn(guard, "192.0.2.66", "alice", "guess5"));
        assertEquals(30, locked.retryAfterSeconds());
        assertEquals(5, verifications.get(), "a locked pair costs no check");
        assertThrows(AuthenticationThrottled.class, () -> signIn(guard, "192.0.2.66", "ALICE", "right"),
                "user names are compared case-insensitively");
        assertEquals("alice", signIn(guard, "192.0.2.10", "alice", "right"), "alice's CI elsewhere still signs in");
        assertNull(signIn(guard, "192.0.2.66", "bob", "whatever"), "other users from that address are checked");
        assertNull(signIn(guard, "192.0.2.66", "alice", "guess1"), "a remembered failure needs no check");

        now.addAndGet(31_000);
        assertNull(signIn(guard, "192.0.2.66", "alice", "guess6"));
        AuthenticationThrottled longer = assertThrows(AuthenticationThrottled.class,
                () -> signIn(guard, "192.0.2.66", "alice", "guess7"));
        assertEquals(60, longer.retryAfterSeconds(), "each further failure doubles the lock");
        now.addAndGet(61_000);
        assertEquals("alice", signIn(guard, "192.0.2.66", "alice", "right"));
        assertNull(signIn(guard, "192.0.2.66", "alice", "guess8"), "a success clears the strikes");
    }

    @Test
    void checksBeyondTheBoundAreRefusedAtOnce() throws Exception {
        PasswordGuard<String> guard = guard(2);
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<String>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            BasicCredentials c = basic("user" + i, "pw");
            slow.add(pool.submit(() -> guard.authenticate("192.0.2.1", c, new PasswordGuard.Check<String>() {
                @Override
                public String verify() {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }

                @Override
                public String refresh(String earlier) {
                    return earlier;
                }
            })));
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        AuthenticationThrottled busy = assertThrows(AuthenticationThrottled.class,
                () -> signIn(guard, "192.0.2.2", "carol", "pw"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused without waiting");
        assertEquals(1, busy.retryAfterSeconds());
        assertEquals(0, verifications.get());
        release.countDown();
        for (Future<String> f : slow) {
            assertNull(f.get(10, TimeUnit.SECONDS));
        }
        assertEquals("alice", signIn(guard, "192.0.2.2", "alice", "right"), "slots are given back");
    }

    @Test
    void aSimultaneousBurstWithTheSameCredentialsIsNeverRefused() throws Exception {
        // The go command asks a module and its parent paths at once, with the same .netrc credentials: with one
        // permit, every request of the burst must join the one check, never take a permit of its own.
        for (int round = 0; round < 100; round++) {
            PasswordGuard<String> guard = guard(1);
            BasicCredentials c = basic("alice", "right");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(pool.submit(() -> {
                    go.await();
                    return guard.authenticate("192.0.2.1", c, check(c));
                }));
            }
            go.countDown();
            for (Future<String> f : burst) {
                assertEquals("alice", f.get(10, TimeUnit.SECONDS), "round " + round);
            }
        }
    }

    @Test
    void concurrentRequestsWithTheSameCredentialsShareOneCheck() throws Exception {
        PasswordGuard<String> guard = guard(1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BasicCredentials c = basic("alice", "right");
        PasswordGuard.Check<String> slowCheck = new PasswordGuard.Check<String>() {
            @Override
            public String verify() {
                verifications.incrementAndGet();
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "alice";
            }

            @Override
            public String refresh(String earlier) {
                return earlier;
            }
        };
        Future<String> first = pool.submit(() -> guard.authenticate("192.0.2.1", c, slowCheck));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        List<Future<String>> joined = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            joined.add(pool.submit(() -> guard.authenticate("192.0.2.1", c, slowCheck)));
        }
        release.countDown();
        assertEquals("alice", first.get(10, TimeUnit.SECONDS));
        for (Future<String> f : joined) {
            assertEquals("alice", f.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, verifications.get(), "one check for nine requests, although only one may run at a time");
    }

    @Test
    void aFloodOfWrongPasswordsDoesNotPushOutRememberedSuccesses() {
        PasswordGuard<String> guard = guard(2);
        assertEquals("alice", signIn(guard, "192.0.2.1", "alice", "right"));
        for (int i = 0; i < 20_000; i++) {
            assertNull(signIn(guard, "198.51.100." + (i % 250), "user" + i, "x"));
        }
        int before = verifications.get();
        assertEquals("alice", signIn(guard, "192.0.2.1", "alice", "right"));
        assertEquals(before, verifications.get());
    }
}
