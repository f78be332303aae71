package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.sumdb.TilePath;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.SumdbServer;

/**
 * The forge's checksum database answers byte for byte as x/mod's own server (golang.org/x/mod/sumdb, built from
 * Debian's sources by the test) does for the same records signed with the same key: every lookup with its signed
 * tree head, and every hash tile of trees that cross full tiles and a second tile level.
 */
@RequiresGo
class ForgeChecksumDatabaseParityTest {
    private static final String NAME = "git.example.com";

    @TempDir
    Path work;

    @Test
    void lookupsHeadsAndTilesAreXmodsBytes() throws Exception {
        try (SumdbServer xmod = SumdbServer.start(NAME, work.resolve("xmod"))) {
            Path data = Files.createDirectories(work.resolve("data"));
            Files.createDirectories(data.resolve("sumdb"));
            Files.write(data.resolve("sumdb").resolve("signer-key"),
                    (xmod.signerKey() + "\n").getBytes(StandardCharsets.UTF_8));
            try (ForgeChecksumDatabase ours = ForgeChecksumDatabase.open(data.toFile(), NAME, null)) {
                assertParity(xmod, ours);
            }
        }
    }

    /** The same over the log and key in PostgreSQL (one tree for every node). */
    @Test
    void overPostgresqlTheyAreXmodsBytesToo() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String url = server.newDatabase();
        try (SumdbServer xmod = SumdbServer.start(NAME, work.resolve("xmod"));
                PostgresDatabase db = PostgresDatabase.open(url, server.passwordFile().toFile(), 4)) {
            server.sql(url.substring(url.lastIndexOf('/') + 1, url.indexOf('?')),
                    "INSERT INTO goproxy_sumdb_key (signer_key) VALUES ('" + xmod.signerKey() + "')");
            try (ForgeChecksumDatabase ours = ForgeChecksumDatabase.open(db, NAME, null, null)) {
                assertParity(xmod, ours);
            }
        }
    }

    private static void assertParity(SumdbServer xmod, ForgeChecksumDatabase ours) throws Exception {
        Random random = new Random(42);
        int records = 300 + random.nextInt(200);
        assertEquals(xmod.verifierKey(), ours.verifierKey());
        for (int i = 0; i < records; i++) {
            // Upper case needs !-escaping in lookup paths; a pseudo-version and +incompatible too.
            String path = NAME + "/Team" + (i % 7) + "/lib" + i;
            String version = i % 5 == 0 ? "v0.0.0-20240101000000-abcdefabcdef"
                    : i % 5 == 1 ? "v2.0." + i + "+incompatible" : "v1." + (i % 3) + "." + i;
            String zip = "h1:" + Base64.getEncoder().encodeToString(bytes(random));
            String mod = "h1:" + Base64.getEncoder().encodeToString(bytes(random));
            xmod.add(path + " " + version + " " + zip + "\n" + path + " " + version + "/go.mod " + mod);
            ours.add(path, version, zip, mod);
            String lookup = "lookup/" + ModuleEscaping.escapePath(path) + "@"
                    + ModuleEscaping.escapeVersion(version);
            assertEquals(new String(get(xmod.url() + "/" + lookup), StandardCharsets.UTF_8),
                    new String(ours.lookup(null, path, version), StandardCharsets.UTF_8), lookup);
        }
        assertArrayEquals(get(xmod.url() + "/latest"), ours.latest());
        int tiles = 0;
        for (int level = 0; (long) records >> (8 * level) > 0; level++) {
            long row = (long) records >> (8 * level);
            for (long k = 0; k * 256 < row; k++) {
                int width = (int) Math.min(256, row - k * 256);
                TilePath tile = TilePath.parse(Tlog.tilePath(8, level, k, width));
                assertArrayEquals(get(xmod.url() + "/" + tile), ours.tile(tile), tile.toString());
                tiles++;
            }
        }
        assertEquals(3, tiles, "full and partial tiles of level 0, one of level 1");
        assertNull(ours.tile(TilePath.parse(Tlog.tilePath(8, 0, 1, 256))), "beyond the tree");
        assertNull(ours.tile(TilePath.parse("tile/8/data/000")), "data tiles name modules");
    }

    private static byte[] bytes(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    private static byte[] get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        assertEquals(200, c.getResponseCode(), url);
        try (InputStream in = c.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
