package com.gitblit.plugin.goproxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled;

class TokenSignInTest {
    @TempDir
    Path dir;

    private TokenStore store;
    private final Set<String> accounts = new HashSet<>(Set.of("alice", "bob"));
    private final AtomicInteger lookups = new AtomicInteger();
    private TokenSignIn<String> signIn;

    @BeforeEach
    void setUp() throws Exception {
        store = TokenStore.open(dir);
        PasswordGuard<String> guard = new PasswordGuard<>(new PasswordGuard.Settings()
                .lockAfter(3, 30, 60, TimeUnit.SECONDS).remember(5, 0, TimeUnit.MINUTES));
        signIn = new TokenSignIn<>(store, guard, new TokenSignIn.Owners<String>() {
            @Override
            public String current(TokenRecord record) {
                lookups.incrementAndGet();
                return accounts.contains(record.owner()) ? record.owner() : null;
            }

            @Override
            public boolean isNamed(String principal, String userName) {
                return principal.equals(userName);
            }
        });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesTokensInBasicAndBearerOnly() {
        String t = GoToken.generate().text();
        assertTrue(TokenSignIn.presentsToken(basic("alice", t)));
        assertTrue(TokenSignIn.presentsToken("Bearer " + t));
        assertTrue(TokenSignIn.presentsToken("bearer gbgo_malformed"));
        assertFalse(TokenSignIn.presentsToken(basic("alice", "secret")));
        assertFalse(TokenSignIn.presentsToken("Bearer eyJhbGciOi"));
        assertFalse(TokenSignIn.presentsToken(null));
    }

    @Test
    void basicNeedsTheOwnersNameAndBearerNeedsNone() throws Exception {
        String t = store.create("alice", "", "x", 0).token.text();
        assertEquals("alice", signIn.authenticate(basic("alice", t), "10.0.0.1"));
        assertNull(signIn.authenticate(basic("bob", t), "10.0.0.1"), "bob cannot use alice's token");
        assertEquals("alice", signIn.authenticate("Bearer " + t, "10.0.0.1"));
        assertNull(signIn.authenticate(basic("alice", "secret"), "10.0.0.1"), "passwords are not tokens");
    }

    @Test
    void revocationAndAccountRemovalCountAtOnceDespiteTheRememberedSuccess() throws Exception {
        TokenStore.Created c = store.create("alice", "", "x", 0);
        String header = basic("alice", c.token.text());
        assertEquals("alice", signIn.authenticate(header, "c"));
        store.revoke(c.record.id());
        assertNull(signIn.authenticate(header, "c"));
        TokenStore.Created d = store.create("bob", "", "y", 0);
        assertEquals("bob", signIn.authenticate("Bearer " + d.token.text(), "c"));
        accounts.remove("bob");
        assertNull(signIn.authenticate("Bearer " + d.token.text(), "c"), "a deleted owner's token stops");
    }

    @Test
    void failedTokensCountInThePasswordGuard() throws Exception {
        store.create("alice", "", "x", 0);
        for (int i = 0; i < 3; i++) {
            assertNull(signIn.authenticate(basic("alice", GoToken.generate().text()), "10.0.0.9"));
        }
        assertThrows(AuthenticationThrottled.class,
                () -> signIn.authenticate(basic("alice", GoToken.generate().text()), "10.0.0.9"));
        // Another client is not locked out; random Bearer guesses are counted together.
        assertNull(signIn.authenticate(basic("alice", GoToken.generate().text()), "10.0.0.10"));
        for (int i = 0; i < 3; i++) {
            assertNull(signIn.authenticate("Bearer " + GoToken.generate().text(), "10.0.0.11"));
        }
        assertThrows(AuthenticationThrottled.class,
                () -> signIn.authenticate("Bearer " + GoToken.generate().text(), "10.0.0.11"));
    }

    @Test
    void malformedTokensAreRefusedWithoutAskingTheHost() {
        assertNull(signIn.authenticate(basic("alice", "gbgo_short"), "c"));
        assertNull(signIn.authenticate("Bearer gbgo_" + "z".repeat(61), "c"));
        assertEquals(0, lookups.get());
    }
}
