package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.sumdb.NoteVerifier;
import com.gitblit.plugin.goproxy.sumdb.SignedNote;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/** The database around the log: its key, signed heads, and the index feed's order and paging. */
class ForgeChecksumDatabaseTest {
    @TempDir
    Path data;

    @Test
    void theKeyIsMadeOnceReadableByTheServerOnlyAndBoundToItsName() throws Exception {
        String vkey;
        try (ForgeChecksumDatabase db = ForgeChecksumDatabase.open(data.toFile(), "git.example.com", null)) {
            vkey = db.verifierKey();
            assertTrue(vkey.startsWith("git.example.com+"), vkey);
            TreeHead empty = TreeHead.parse(SignedNote.open(db.latest(), NoteVerifier.parse(vkey)));
            assertEquals(0, empty.size());
            db.add("git.example.com/a", "v1.0.0", "h1:z=", "h1:m=");
            TreeHead one = TreeHead.parse(SignedNote.open(db.latest(), NoteVerifier.parse(vkey)));
            assertEquals(1, one.size());
        }
        Path key = data.resolve("sumdb/signer-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertFalse(new String(Files.readAllBytes(key), StandardCharsets.UTF_8).contains(vkey.split("\\+")[2]),
                "the file holds the private key, not the public one");
        try (ForgeChecksumDatabase db = ForgeChecksumDatabase.open(data.toFile(), "git.example.com", null)) {
            assertEquals(vkey, db.verifierKey(), "the same key after a restart");
            assertTrue(db.contains("git.example.com/a", "v1.0.0"));
        }
        SumdbException renamed = assertThrows(SumdbException.class,
                () -> ForgeChecksumDatabase.open(data.toFile(), "example.com/git", null));
        assertTrue(renamed.getMessage().contains("is for git.example.com"), renamed.getMessage());
    }

    @Test
    void theIndexListsInPinOrderWithDistinctTimesAndPagesWithoutLosingAny() throws Exception {
        try (ForgeChecksumDatabase db = ForgeChecksumDatabase.open(data.toFile(), "git.example.com", null)) {
            for (int i = 0; i < 50; i++) {
                db.add("git.example.com/m" + (i % 5), "v1.0." + i, "h1:z" + i + "=", "h1:m" + i + "=");
            }
            List<ForgeChecksumDatabase.IndexEntry> all = db.index(0, 2000, 100_000, p -> true);
            assertEquals(50, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).micros > all.get(i - 1).micros, "distinct, increasing times");
            }
            // Paging as a client does: the next page starts at the last Timestamp seen (inclusive, as
            // index.golang.org): exactly that entry again, then the rest; nothing lost.
            List<String> paged = new ArrayList<>();
            long since = 0;
            while (true) {
                List<ForgeChecksumDatabase.IndexEntry> page = db.index(since, 7, 100_000, p -> true);
                for (ForgeChecksumDatabase.IndexEntry e : page) {
                    String id = e.path + "@" + e.version;
                    if (paged.isEmpty() || !paged.get(paged.size() - 1).equals(id)) {
                        paged.add(id);
                    }
                }
                if (page.size() < 7) {
                    break;
                }
                since = page.get(page.size() - 1).micros;
            }
            assertEquals(all.stream().map(e -> e.path + "@" + e.version).collect(Collectors.toList()), paged);
            List<ForgeChecksumDatabase.IndexEntry> visible = db.index(0, 2000, 100_000,
                    p -> p.equals("git.example.com/m3"));
            assertEquals(10, visible.size());
            assertTrue(visible.stream().allMatch(e -> e.path.equals("git.example.com/m3")));
            assertEquals(List.of(), db.index(0, 2000, 3, p -> p.equals("git.example.com/m3")),
                    "the scan is bounded");
        }
    }
}
