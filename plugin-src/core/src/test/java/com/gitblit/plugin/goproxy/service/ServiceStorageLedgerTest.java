package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/** Which ledger the settings give the service, and the one line a bad ledger setting gets. */
class ServiceStorageLedgerTest {
    private final PostgresServer server = PostgresServer.shared();
    @TempDir
    Path tmp;

    @Test
    void theFileLedgerStaysTheDefault() throws Exception {
        try (ServiceStorage s = ServiceStorage.open(ProxySettings.builder().dataDirectory(tmp.toFile()).build())) {
            assertTrue(s.ledger instanceof FileVersionLedger);
            assertNull(s.database());
        }
    }

    @Test
    void aLedgerUrlGivesTheSharedLedgerWithThisNodesCopy() throws Exception {
        ProxySettings settings = ProxySettings.builder().dataDirectory(tmp.toFile())
                .ledger(server.newDatabase(), server.passwordFile().toFile()).build();
        try (ServiceStorage s = ServiceStorage.open(settings)) {
            assertTrue(s.ledger.shared());
            assertNotNull(s.database());
            s.ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
            assertEquals(1, s.ledgerVersions());
            assertEquals("aaaa", new FileVersionLedger(tmp.resolve("ledger-copy")).find("example.com/m", "v1.0.0").commit());
        }
    }

    @Test
    void badLedgerSettingsAreOneLine() throws Exception {
        IOException noData = assertThrows(IOException.class, () -> ServiceStorage.open(ProxySettings.builder()
                .ledger(server.newDatabase(), server.passwordFile().toFile()).build()));
        assertTrue(noData.getMessage().contains("needs a data folder"), noData.getMessage());
        IOException url = assertThrows(IOException.class, () -> ServiceStorage.open(ProxySettings.builder()
                .dataDirectory(tmp.toFile()).ledger("postgres://x/y", null).build()));
        assertTrue(url.getMessage().startsWith("the ledger URL must be jdbc:postgresql://"), url.getMessage());
        Path wrong = Files.write(tmp.resolve("pw"), "wrong\n".getBytes());
        IOException password = assertThrows(IOException.class, () -> ServiceStorage.open(ProxySettings.builder()
                .dataDirectory(tmp.toFile()).ledger(server.newDatabase(), wrong.toFile()).build()));
        assertTrue(password.getMessage().contains("password authentication failed"), password.getMessage());
        assertTrue(!password.getMessage().contains("\n"));
    }
}
