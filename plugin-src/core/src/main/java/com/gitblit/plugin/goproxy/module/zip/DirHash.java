package com.gitblit.plugin.goproxy.module.zip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import com.gitblit.plugin.goproxy.module.Utf8;

/**
 * The {@code h1:} hash of golang.org/x/mod/sumdb/dirhash (Hash1): SHA-256 over the sorted lines
 * {@code hex(sha256(content)) + "  " + name + "\n"}, base64-encoded. Names sort in Go string order (UTF-8
 * bytes), and a name containing a newline is an error.
 */
public final class DirHash {
    private DirHash() {
    }

    /** One file's name and the SHA-256 of its content. */
    public static final class Entry {
        final String name;
        final byte[] sha256;

        public Entry(String name, byte[] sha256) {
            this.name = name;
            this.sha256 = sha256.clone();
        }
    }

    /** The go.sum hash of a go.mod: Hash1 of the single file {@code go.mod} with these bytes. */
    public static String hashGoMod(byte[] goMod) {
        return hash1(Collections.singletonList(new Entry("go.mod", sha256().digest(goMod))));
    }

    /** Hash1 over files whose content digests are already known (computed while streaming them). */
    public static String hash1(List<Entry> files) {
        List<Entry> sorted = new ArrayList<>(files);
        Collections.sort(sorted, (a, b) -> Utf8.compare(a.name, b.name));
        MessageDigest summary = sha256();
        StringBuilder line = new StringBuilder(128);
        for (Entry e : sorted) {
            if (e.name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("dirhash: filenames with newlines are not supported");
            }
            line.setLength(0);
            for (byte b : e.sha256) {
                line.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            line.append("  ").append(e.name).append('\n');
            summary.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return "h1:" + Base64.getEncoder().encodeToString(summary.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
