package com.gitblit.plugin.goproxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    private TokenStore open() throws IOException {
        return TokenStore.open(dir, now::get);
    }

    @Test
    void tokenFormatIsPrefixedHexWithAtLeast128RandomBits() {
        GoToken t = GoToken.generate();
        assertTrue(t.text().matches("gbgo_[0-9a-f]{12}_[0-9a-f]{48}"), t.text());
        assertEquals(t.id(), t.text().substring(5, 17));
        assertEquals(t.text(), GoToken.parse(t.text()).text());
        assertFalse(t.toString().contains(t.text().substring(18)), "toString must not show the secret");
        assertTrue(GoToken.SECRET_DIGITS * 4 >= 128);
        assertFalse(GoToken.generate().text().equals(t.text()));
    }

    @Test
    void malformedTokensDoNotParse() {
        String good = GoToken.generate().text();
        assertNull(GoToken.parse(good.toUpperCase()));
        assertNull(GoToken.parse(good + "0"));
        assertNull(GoToken.parse(good.substring(0, good.length() - 1)));
        assertNull(GoToken.parse(good.replace("gbgo_", "gbgx_")));
        assertNull(GoToken.parse(good.substring(0, 17) + "-" + good.substring(18)));
        assertNull(GoToken.parse("gbgo_"));
        assertNull(GoToken.parse(null));
        assertTrue(GoToken.looksLikeToken("gbgo_anything"));
        assertFalse(GoToken.looksLikeToken("hunter2"));
    }

    @Test
    void onlyTheHashIsStoredAndACheckFindsTheToken() throws IOException {
        TokenStore store = open();
        TokenStore.Created c = store.create("alice", "anchor1", "laptop", 0);
        String onDisk = new String(Files.readAllBytes(dir.resolve(TokenStore.FILE_NAME)), StandardCharsets.UTF_8);
        assertFalse(onDisk.contains(c.token.text()), onDisk);
        assertFalse(onDisk.contains(c.token.text().substring(18)), "no part of the secret on disk");
        assertTrue(onDisk.contains(c.token.hash()));
        TokenRecord r = store.check(c.token);
        assertNotNull(r);
        assertEquals("alice", r.owner());
        assertEquals("laptop", r.name());
        assertEquals(now.get(), r.created());
        // The same id with another secret is refused.
        GoToken forged = GoToken.parse(c.token.text().substring(0, 18) + "0".repeat(48));
        assertNull(store.check(forged));
        assertNull(store.check(GoToken.generate()));
    }

    @Test
    void revokedAndExpiredTokensAreRefused() throws IOException {
        TokenStore store = open();
        TokenStore.Created a = store.create("alice", "", "a", 0);
        TokenStore.Created b = store.create("alice", "", "b", now.get() + 1000);
        assertNotNull(store.check(b.token));
        now.addAndGet(1000);
        assertNull(store.check(b.token), "expired at its expiry time");
        assertTrue(store.get(b.record.id()).isExpired(now.get()));
        assertTrue(store.revoke(a.record.id()));
        assertNull(store.check(a.token));
        assertFalse(store.revoke(a.record.id()));
    }

    @Test
    void badNamesOwnersAndPastExpiriesAreRefused() throws IOException {
        TokenStore store = open();
        assertThrows(IllegalArgumentException.class, () -> store.create("alice", "", "", 0));
        assertThrows(IllegalArgumentException.class, () -> store.create("alice", "", "tab\there", 0));
        assertThrows(IllegalArgumentException.class, () -> store.create("alice", "", "x".repeat(65), 0));
        assertThrows(IllegalArgumentException.class, () -> store.create("al\nice", "", "ok", 0));
        assertThrows(IllegalArgumentException.class, () -> store.create("alice", "", "ok", now.get()));
        assertTrue(store.list().isEmpty());
    }

    @Test
    void lastUsedIsWrittenAtMostOnceAMinute() throws IOException {
        TokenStore store = open();
        TokenStore.Created c = store.create("alice", "", "ci", 0);
        Path file = dir.resolve(TokenStore.FILE_NAME);
        now.addAndGet(TokenStore.FLUSH_MILLIS);
        long firstUse = now.get();
        store.check(c.token);
        assertEquals(firstUse, lastUsedOnDisk(c.record.id()), "first use after a quiet minute is written");
        long modified = Files.getLastModifiedTime(file).toMillis();
        String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            now.addAndGet(1000);
            assertNotNull(store.check(c.token));
        }
        assertEquals(content, new String(Files.readAllBytes(file), StandardCharsets.UTF_8), "no write per request");
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
        assertEquals(firstUse, store.get(c.record.id()).lastUsed());
        now.addAndGet(TokenStore.FLUSH_MILLIS);
        store.check(c.token);
        assertEquals(now.get(), lastUsedOnDisk(c.record.id()));
    }

    @Test
    void pendingUseIsWrittenByFlush() throws IOException {
        TokenStore store = open();
        TokenStore.Created c = store.create("alice", "", "ci", 0);
        now.addAndGet(TokenStore.FLUSH_MILLIS);
        store.check(c.token); // written: a minute since the create
        now.addAndGet(TokenStore.FLUSH_MILLIS - 1);
        store.check(c.token); // not yet: pending
        now.addAndGet(TokenStore.FLUSH_MILLIS);
        long used = now.get();
        TokenStore.Created other = store.create("bob", "", "x", 0); // a change writes pending uses too
        assertNotNull(other);
        store.check(c.token);
        store.flush();
        assertEquals(used, lastUsedOnDisk(c.record.id()));
    }

    @Test
    void anotherStoreOnTheSameFolderSeesChangesWithinASecond() throws Exception {
        TokenStore server = open();
        TokenStore cli = TokenStore.open(dir, now::get);
        TokenStore.Created c = cli.create("alice", "", "from-cli", 0);
        Thread.sleep(TokenStore.STAT_MILLIS + 100);
        assertNotNull(server.check(c.token));
        cli.revoke(c.record.id());
        Thread.sleep(TokenStore.STAT_MILLIS + 100);
        assertNull(server.check(c.token));
        // The server's own write does not bring back what the other store removed.
        TokenStore.Created d = server.create("bob", "", "mine", 0);
        assertEquals(List.of(d.record.id()), TokenStore.open(dir).list().stream().map(TokenRecord::id)
                .collect(Collectors.toList()));
    }

    @Test
    void renameAndRevokeAllFollowTheOwner() throws IOException {
        TokenStore store = open();
        TokenStore.Created a = store.create("alice", "anc", "a", 0);
        store.create("Alice", "anc", "b", 0);
        store.create("bob", "", "c", 0);
        store.renameOwner("alice", "alicia", "anc");
        assertEquals("alicia", store.check(a.token).owner());
        assertEquals(1, store.list("alicia", false).size());
        assertEquals(2, store.list("ALICIA", true).size() + store.list("alice", true).size());
        assertEquals(1, store.revokeAll("ALICE", true));
        assertEquals(1, store.revokeAll("alicia", false));
        assertEquals(1, TokenStore.open(dir).list().size());
    }

    @Test
    void writesLeaveNoTemporaryFilesAndADamagedFileIsReported() throws IOException {
        TokenStore store = open();
        for (int i = 0; i < 5; i++) {
            store.create("alice", "", "t" + i, 0);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(TokenStore.FILE_NAME, TokenStore.FILE_NAME + ".lock"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        Files.write(dir.resolve(TokenStore.FILE_NAME), "not a token\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> TokenStore.open(dir));
        assertTrue(e.getMessage().contains(":1: not a token line"), e.getMessage());
    }

    private long lastUsedOnDisk(String id) throws IOException {
        for (String line : Files.readAllLines(dir.resolve(TokenStore.FILE_NAME), StandardCharsets.UTF_8)) {
            if (line.startsWith(id + "\t")) {
                return Long.parseLong(line.split("\t")[6]);
            }
        }
        throw new AssertionError("no line for " + id);
    }
}
