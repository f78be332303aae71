package com.gitblit.plugin.goproxy.guard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled;
import com.gitblit.plugin.goproxy.service.BoundedMap;

/**
 * Keeps password checks (PBKDF2, an LDAP round trip: the expensive part of a request) from becoming a way to
 * take the proxy down or to guess passwords. Rules, in the order they apply to a request with Basic
 * credentials:
 * <ol>
 *   <li>Credentials that passed recently pass again without a check, as long as the host confirms cheaply that
 *       the account still stands ({@link Check#refresh}).</li>
 *   <li>Credentials that failed recently fail again without a check, just as cheaply: a client repeating a
 *       wrong password (a public module fetched with a stale {@code .netrc}) pays for one check, not one per
 *       request.</li>
 *   <li>A (client, user name) pair that failed {@code freeFailures} times in a row is refused new checks
 *       for a while (429), doubling up to a limit; a success clears it. Other clients of the same user are
 *       not affected, so nobody can lock a user's CI out from elsewhere.</li>
 *   <li>Requests with the same credentials arriving while they are being checked share that one check.</li>
 *   <li>At most {@code maxConcurrentChecks} checks run at once; beyond that the request is answered 429 at
 *       once. No request ever sleeps to slow an attacker down: that would hold a server thread for him.</li>
 * </ol>
 * Credentials are remembered as a keyed hash (HMAC with a key made at start), never in the clear. The maps are
 * bounded; failures and successes are kept apart so that a flood of wrong passwords cannot push out the
 * successes of real users.
 *
 * @param <P> the host's principal (Gitblit's {@code UserModel}, the standalone host's user name)
 */
public final class PasswordGuard<P> {

    /** What the host does for the guard. */
    public interface Check<P> {
        /** The slow part: the principal for these credentials, or {@code null} when they are wrong. */
        P verify();

        /**
         * The cheap part: the principal for an account whose credentials passed a moment ago, as it is now, or
         * {@code null} when that proof no longer holds (account gone, disabled, password changed).
         */
        P refresh(P earlier);
    }

    private final Settings settings;
    private final LongSupplier clock;
    private final Semaphore checks;
    private final Mac macPrototype;
    private final BoundedMap<String, Passed<P>> passed;
    private final BoundedMap<String, Long> failed;
    private final BoundedMap<String, Strikes> strikes;
    private final ConcurrentHashMap<String, CompletableFuture<P>> running = new ConcurrentHashMap<>();

    public PasswordGuard(Settings settings) {
        this(settings, System::currentTimeMillis);
    }

    /** With a clock in milliseconds, for tests. */
    public PasswordGuard(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.checks = new Semaphore(settings.maxConcurrentChecks);
        this.passed = new BoundedMap<>(settings.cacheEntries);
        this.failed = new BoundedMap<>(settings.cacheEntries);
        this.strikes = new BoundedMap<>(settings.cacheEntries);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.macPrototype = Mac.getInstance("HmacSHA256");
            macPrototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /**
     * The principal for {@code credentials} sent by {@code client}, or {@code null} when they are wrong.
     *
     * @throws AuthenticationThrottled when they would need a check that may not run now
     */
    public P authenticate(String client, BasicCredentials credentials, Check<P> check) {
        String key = digest(credentials);
        long now = clock.getAsLong();
        Passed<P> ok = passed.get(key);
        if (ok != null && ok.until > now) {
            P current = check.refresh(ok.principal);
            if (current != null) {
                return current;
            }
            passed.remove(key);
        }
        Long failedUntil = failed.get(key);
        if (failedUntil != null && failedUntil > now) {
            return null;
        }
        String pair = client + " " + credentials.user().toLowerCase(Locale.ROOT);
        Strikes s = strikes.get(pair);
        if (s != null && s.lockedUntil > now) {
            throw new AuthenticationThrottled("too many failed sign-ins for " + credentials.user()
                    + " from this address: try again later", seconds(s.lockedUntil - now));
        }
        // Register first, then take a permit: a burst of requests with the same credentials (the go command asks
        // a module and its parent paths at once) joins one check and holds one permit, never several.
        CompletableFuture<P> mine = new CompletableFuture<>();
        CompletableFuture<P> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            return await(theirs);
        }
        if (!checks.tryAcquire()) {
            AuthenticationThrottled busy = new AuthenticationThrottled(
                    "too many sign-ins being checked at once: try again shortly", 1);
            running.remove(key, mine);
            mine.completeExceptionally(busy);
            throw busy;
        }
        try {
            P principal;
            try {
                principal = check.verify();
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                throw e;
            }
            record(key, pair, principal);
            mine.complete(principal);
            return principal;
        } finally {
            running.remove(key, mine);
            checks.release();
        }
    }

    private void record(String key, String pair, P principal) {
        long now = clock.getAsLong();
        if (principal != null) {
            passed.put(key, new Passed<>(principal, now + settings.passedMillis));
            strikes.remove(pair);
            return;
        }
        failed.put(key, now + settings.failedMillis);
        synchronized (strikes) {
            Strikes s = strikes.get(pair);
            if (s == null || now - s.last > settings.strikeWindowMillis) {
                s = new Strikes();
            }
            s.count++;
            s.last = now;
            if (s.count >= settings.freeFailures) {
                int doublings = Math.min(20, s.count - settings.freeFailures);
                s.lockedUntil = now + Math.min(settings.maxLockMillis, settings.firstLockMillis << doublings);
            }
            strikes.put(pair, s);
        }
    }

    /** Joins a check of the same credentials that is already running: it takes one check's time at most. */
    private P await(CompletableFuture<P> check) {
        try {
            return check.get(settings.joinMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AuthenticationThrottled("sign-in check is taking too long: try again shortly", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationThrottled("interrupted while checking the sign-in", 1);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private String digest(BasicCredentials credentials) {
        Mac mac;
        try {
            mac = (Mac) macPrototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        byte[] d = mac.doFinal((credentials.user() + "\u0000" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(d);
    }

    private static int seconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    private static final class Passed<P> {
        final P principal;
        final long until;

        Passed(P principal, long until) {
            this.principal = principal;
            this.until = until;
        }
    }

    private static final class Strikes {
        int count;
        long last;
        long lockedUntil;
    }

    /** The guard's numbers; the defaults are documented in docs/settings.md. */
    public static final class Settings {
        int maxConcurrentChecks = defaultConcurrentChecks();
        long passedMillis = 5 * 60_000L;
        long failedMillis = 60_000L;
        int freeFailures = 5;
        long firstLockMillis = 30_000L;
        long maxLockMillis = 15 * 60_000L;
        long strikeWindowMillis = 15 * 60_000L;
        long joinMillis = 10_000L;
        int cacheEntries = 10_000;

        /** Half the processors, at least 2: checks are CPU work, and requests without one need CPU too. */
        public static int defaultConcurrentChecks() {
            return Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
        }

        public Settings maxConcurrentChecks(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("at least one password check must be able to run");
            }
            this.maxConcurrentChecks = value;
            return this;
        }

        /** How long a passed or failed check is remembered. */
        public Settings remember(long passed, long failed, TimeUnit unit) {
            this.passedMillis = unit.toMillis(passed);
            this.failedMillis = unit.toMillis(failed);
            return this;
        }

        /** Failures allowed per (client, user) before the first lock, and how long it lasts (doubling up to max). */
        public Settings lockAfter(int failures, long firstLock, long maxLock, TimeUnit unit) {
            this.freeFailures = Math.max(1, failures);
            this.firstLockMillis = unit.toMillis(firstLock);
            this.maxLockMillis = unit.toMillis(maxLock);
            return this;
        }

        /** How long a request waits for a check of the same credentials that is already running. */
        public Settings joinTimeout(long value, TimeUnit unit) {
            this.joinMillis = unit.toMillis(value);
            return this;
        }

        public int maxConcurrentChecks() {
            return maxConcurrentChecks;
        }
    }
}
