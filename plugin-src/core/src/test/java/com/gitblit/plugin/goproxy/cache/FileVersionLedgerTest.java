package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVersionLedgerTest extends VersionLedgerCompliance {
    @TempDir
    Path tmp;

    @Override
    VersionLedger open() throws Exception {
        return new FileVersionLedger(tmp.resolve("ledger"));
    }

    @Test
    void aPinThatCannotBeWrittenIsAStorageFault() throws Exception {
        VersionLedger ledger = open();
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
        // Where the next module's folder must go, something else stands: the write fails like a full disk would.
        String h = FileVersionLedger.sha256Hex("example.com/blocked");
        Files.write(tmp.resolve("ledger").resolve(h.substring(0, 2)), new byte[] {1});
        StorageException e = assertThrows(StorageException.class,
                () -> ledger.recordCommit("example.com/blocked", "v1.0.0", "bbbb", "m.git"));
        assertTrue(e.getMessage().contains("version ledger"), e.getMessage());
        assertEquals("aaaa", ledger.find("example.com/m", "v1.0.0").commit());
    }
}
