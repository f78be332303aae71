package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hashed password lines round-trip; Basic parsing never throws. */
class UsersFileTest {
    @Test
    void hashedLineRoundTrips(@TempDir Path dir) throws Exception {
        String line = UsersFile.line("ann", "s3cret: with colon".toCharArray());
        assertTrue(line.startsWith("ann:pbkdf2-sha256:"), line);
        assertNotEquals(line, UsersFile.line("ann", "s3cret: with colon".toCharArray()), "fresh salt each time");
        Path file = dir.resolve("users");
        Files.write(file, ("# users\n\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        UsersFile users = UsersFile.load(file);
        assertTrue(users.verify("ann", "s3cret: with colon"));
        assertTrue(users.verify("ann", "s3cret: with colon"), "again, from the verified cache");
        assertFalse(users.verify("ann", "s3cret"));
        assertFalse(users.verify("bob", "s3cret: with colon"));
    }

    @Test
    void malformedLinesAreRejectedWithTheirLineNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, "ann:plaintext\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> UsersFile.load(file));
        assertTrue(e.getMessage().contains(":1:"), e.getMessage());
    }

    @Test
    void basicHeaderParsingIsRobust(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, (UsersFile.line("ann", "pw".toCharArray()) + "\n").getBytes(StandardCharsets.UTF_8));
        AccessPolicy p = AccessPolicy.load(UsersFile.load(file), null);
        String good = "Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8));
        assertEquals("ann", p.authenticate(good).name());
        assertEquals("ann", p.authenticate("basic " + good.substring(6)).name());
        for (String bad : new String[] {null, "", "Basic", "Basic !!!not-base64", "Bearer x", "Basic "
                + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)), "Basic "
                + Base64.getEncoder().encodeToString(":pw".getBytes(StandardCharsets.UTF_8)), "Basic "
                + Base64.getEncoder().encodeToString("ann:wrong".getBytes(StandardCharsets.UTF_8))}) {
            assertTrue(p.authenticate(bad).isAnonymous(), String.valueOf(bad));
        }
    }
}
