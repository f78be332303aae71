package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * What every {@link VersionLedger} must do (the file ledger today, a database later): each implementation's
 * test extends this class and says how to open a ledger over the same storage twice.
 */
abstract class VersionLedgerCompliance {

    /** A ledger over this test's storage; a second call opens the same storage again (a restart). */
    abstract VersionLedger open() throws Exception;

    @Test
    void firstCommitWinsAndSurvivesReopening() throws Exception {
        VersionLedger ledger = open();
        assertNull(ledger.find("Example.com/M", "v1.0.0"));
        ledger.recordCommit("Example.com/M", "v1.0.0", "aaaa", "m.git");
        assertEquals("aaaa", ledger.recordCommit("Example.com/M", "v1.0.0", "bbbb", "m.git").commit());
        VersionLedger reopened = open();
        assertEquals("aaaa", reopened.find("Example.com/M", "v1.0.0").commit());
        // Module paths differing only in case are different modules; so are such versions.
        assertNull(reopened.find("example.com/m", "v1.0.0"));
        ledger.recordCommit("Example.com/M", "v1.0.0-RC", "cccc", "m.git");
        ledger.recordCommit("Example.com/M", "v1.0.0-rc", "dddd", "m.git");
        assertEquals("cccc", open().find("Example.com/M", "v1.0.0-RC").commit());
        assertEquals("dddd", open().find("Example.com/M", "v1.0.0-rc").commit());
    }

    @Test
    void contradictingHashIsRefusedNeverOverwritten() throws Exception {
        VersionLedger ledger = open();
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
        ledger.recordZipHash("example.com/m", "v1.0.0", "h1:one");
        ledger.recordZipHash("example.com/m", "v1.0.0", "h1:one");
        assertThrows(LedgerConflictException.class, () -> ledger.recordZipHash("example.com/m", "v1.0.0", "h1:two"));
        ledger.recordModHash("example.com/m", "v1.0.0", "h1:mod");
        assertThrows(LedgerConflictException.class, () -> ledger.recordModHash("example.com/m", "v1.0.0", "h1:other"));
        LedgerEntry e = open().find("example.com/m", "v1.0.0");
        assertEquals("h1:one", e.zipH1());
        assertEquals("h1:mod", e.modH1());
    }

    @Test
    void forgettingIsAnExplicitAct() throws Exception {
        VersionLedger ledger = open();
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
        assertTrue(ledger.forget("example.com/m", "v1.0.0"));
        assertFalse(ledger.forget("example.com/m", "v1.0.0"));
        assertNull(ledger.find("example.com/m", "v1.0.0"));
        assertNull(open().find("example.com/m", "v1.0.0"));
        assertEquals("bbbb", ledger.recordCommit("example.com/m", "v1.0.0", "bbbb", "m.git").commit());
    }

    @Test
    void entriesAreListedByModuleWithoutPrefixConfusion() throws Exception {
        VersionLedger ledger = open();
        ledger.recordCommit("example.com/one/two", "v1.0.0", "aaaa", "r.git");
        ledger.recordCommit("example.com/one/two", "v1.1.0", "bbbb", "r.git");
        ledger.recordCommit("example.com/one/two-suffix", "v1.0.0", "cccc", "r.git");
        Set<String> versions = new HashSet<>();
        for (LedgerEntry e : open().list("example.com/one/two")) {
            versions.add(e.version());
            assertEquals("example.com/one/two", e.modulePath());
        }
        assertEquals(new HashSet<>(java.util.Arrays.asList("v1.0.0", "v1.1.0")), versions);
        assertEquals(1, ledger.list("example.com/one/two-suffix").size());
        assertTrue(ledger.list("example.com/one").isEmpty());
        assertEquals(java.util.Arrays.asList("example.com/one/two", "example.com/one/two-suffix"), open().modules());
    }

    @Test
    void concurrentFirstPinsAgreeOnOneCommit() throws Exception {
        VersionLedger ledger = open();
        int writers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                final String commit = String.format("%040x", i);
                results.add(pool.submit((Callable<String>) () -> {
                    start.await();
                    return ledger.recordCommit("example.com/race", "v1.0.0", commit, "r.git").commit();
                }));
            }
            start.countDown();
            Set<String> winners = new HashSet<>();
            for (Future<String> f : results) {
                winners.add(f.get());
            }
            assertEquals(1, winners.size(), "every writer must be told the same first commit");
            assertEquals(winners.iterator().next(), open().find("example.com/race", "v1.0.0").commit());
        } finally {
            pool.shutdownNow();
        }
    }
}
