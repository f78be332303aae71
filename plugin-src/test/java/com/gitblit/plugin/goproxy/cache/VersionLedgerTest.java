package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's promises: the first answer wins, a contradicting hash is refused, it survives restarts. */
class VersionLedgerTest {
    @TempDir
    Path tmp;

    @Test
    void firstCommitWinsAndSurvivesReopening() throws Exception {
        VersionLedger ledger = new VersionLedger(tmp);
        assertNull(ledger.find("Example.com/M", "v1.0.0"));
        ledger.recordCommit("Example.com/M", "v1.0.0", "aaaa", "m.git");
        assertEquals("aaaa", ledger.recordCommit("Example.com/M", "v1.0.0", "bbbb", "m.git").commit());
        VersionLedger reopened = new VersionLedger(tmp);
        assertEquals("aaaa", reopened.find("Example.com/M", "v1.0.0").commit());
        // Module paths differing only in case are different modules.
        assertNull(reopened.find("example.com/m", "v1.0.0"));
    }

    @Test
    void contradictingHashIsRefusedNeverOverwritten() throws Exception {
        VersionLedger ledger = new VersionLedger(tmp);
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
        ledger.recordZipHash("example.com/m", "v1.0.0", "h1:one");
        ledger.recordZipHash("example.com/m", "v1.0.0", "h1:one");
        assertThrows(LedgerConflictException.class, () -> ledger.recordZipHash("example.com/m", "v1.0.0", "h1:two"));
        ledger.recordModHash("example.com/m", "v1.0.0", "h1:mod");
        assertThrows(LedgerConflictException.class, () -> ledger.recordModHash("example.com/m", "v1.0.0", "h1:other"));
        LedgerEntry e = new VersionLedger(tmp).find("example.com/m", "v1.0.0");
        assertEquals("h1:one", e.zipH1());
        assertEquals("h1:mod", e.modH1());
    }

    @Test
    void forgettingIsAnExplicitAct() throws Exception {
        VersionLedger ledger = new VersionLedger(tmp);
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
        assertTrue(ledger.forget("example.com/m", "v1.0.0"));
        assertNull(new VersionLedger(tmp).find("example.com/m", "v1.0.0"));
        assertEquals("bbbb", ledger.recordCommit("example.com/m", "v1.0.0", "bbbb", "m.git").commit());
    }
}
