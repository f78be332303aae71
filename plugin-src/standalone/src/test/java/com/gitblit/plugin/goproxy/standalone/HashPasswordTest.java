package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hash-password} in a child JVM, password on stdin: its line is accepted by the users file. */
class HashPasswordTest {
    private static Process main(String... args) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String[] cmd = new String[args.length + 5];
        cmd[0] = java;
        cmd[1] = "-Xmx64m";
        cmd[2] = "-cp";
        cmd[3] = System.getProperty("java.class.path");
        cmd[4] = Main.class.getName();
        System.arraycopy(args, 0, cmd, 5, args.length);
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void printedLineVerifiesTheStdinPassword(@TempDir Path dir) throws Exception {
        Process p = main("hash-password", "ann");
        try (OutputStream in = p.getOutputStream()) {
            in.write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertTrue(out.startsWith("ann:pbkdf2-sha256:"), out);
        Path users = Files.writeString(dir.resolve("users"), out);
        UsersFile file = UsersFile.load(users);
        assertTrue(file.verify("ann", "correct horse"));
        assertFalse(file.verify("ann", "correct horse\n"));
    }

    @Test
    void emptyPasswordAndBadUserAreUsageErrors() throws Exception {
        Process empty = main("hash-password", "ann");
        empty.getOutputStream().close();
        assertTrue(empty.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, empty.exitValue());
        Process colon = main("hash-password", "a:b");
        colon.getOutputStream().close();
        assertTrue(colon.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, colon.exitValue());
        Process help = main("--help");
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertTrue(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("--repos DIR"));
    }
}
