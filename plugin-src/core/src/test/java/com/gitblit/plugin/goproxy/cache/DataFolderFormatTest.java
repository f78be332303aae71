package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderFormatTest {
    @TempDir
    Path data;

    /** A ledger entry exactly as plugin 0.1.0 wrote it: {@code ledger/<2 hex>/<sha256(module@version)>.properties}. */
    private void writeFormat1(String module, String version, String commit, String zipH1) throws IOException {
        String key = FileVersionLedger.sha256Hex(module + "@" + version);
        Path f = data.resolve("ledger").resolve(key.substring(0, 2)).resolve(key + ".properties");
        Files.createDirectories(f.getParent());
        Files.write(f, ("module=" + module + "\nversion=" + version + "\ncommit=" + commit + "\nrepository=r.git\n"
                + "recordedAt=1\nzip=" + zipH1 + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFreshFolderIsCreatedInTheCurrentFormat() throws Exception {
        assertTrue(DataFolderFormat.prepare(data.resolve("new")).contains("created"));
        assertTrue(Files.isDirectory(DataFolderFormat.ledger(data.resolve("new"))));
        assertTrue(DataFolderFormat.prepare(data.resolve("new")).contains("format 2"));
    }

    @Test
    void format1IsMigratedWithABackupTwiceSafelyAndOlderPluginsAreStopped() throws Exception {
        writeFormat1("example.com/m", "v1.0.0", "aaaa", "h1:zip");
        writeFormat1("example.com/m", "v1.0.0-RC", "bbbb", "h1:rc");
        String said = DataFolderFormat.prepare(data);
        assertTrue(said.contains("2 pinned versions"), said);

        VersionLedger ledger = new FileVersionLedger(DataFolderFormat.ledger(data));
        assertEquals("aaaa", ledger.find("example.com/m", "v1.0.0").commit());
        assertEquals("h1:zip", ledger.find("example.com/m", "v1.0.0").zipH1());
        assertEquals("bbbb", ledger.find("example.com/m", "v1.0.0-RC").commit());
        // The old folder is now a file: plugin 0.1.0 cannot create its ledger there and fails closed.
        assertTrue(Files.isRegularFile(data.resolve("ledger")));
        try (Stream<Path> backup = Files.walk(data.resolve("backup"))) {
            assertEquals(2, backup.filter(p -> p.toString().endsWith(".properties")).count());
        }
        // Again: nothing changes.
        assertTrue(DataFolderFormat.prepare(data).contains("format 2"));
        assertEquals("aaaa", new FileVersionLedger(DataFolderFormat.ledger(data)).find("example.com/m", "v1.0.0").commit());
    }

    @Test
    void aMigrationCutShortBeforeItsMarkerRunsAgainToTheSameResult() throws Exception {
        writeFormat1("example.com/m", "v1.0.0", "aaaa", "h1:zip");
        // A first run that died after copying: the new ledger holds the entry, no marker yet.
        new FileVersionLedger(DataFolderFormat.ledger(data)).recordCommit("example.com/m", "v1.0.0", "aaaa", "r.git");
        assertTrue(DataFolderFormat.prepare(data).contains("migrated"));
        assertEquals("h1:zip", new FileVersionLedger(DataFolderFormat.ledger(data)).find("example.com/m", "v1.0.0").zipH1());
    }

    @Test
    void aNewerFormatIsRefusedWithAClearMessage() throws Exception {
        Files.write(data.resolve("FORMAT"), "goproxy data folder format 7\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> DataFolderFormat.prepare(data));
        assertTrue(e.getMessage().contains("format 7") && e.getMessage().contains("newer"), e.getMessage());
    }
}
