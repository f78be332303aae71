package com.gitblit.plugin.goproxy.module.zip;

/**
 * The {@code h1:} hash of golang.org/x/mod/sumdb/dirhash (Hash1): SHA-256 over the sorted lines
 * {@code hex(sha256(content)) + "  " + name + "\n"}, base64-encoded. Names sort in Go string order (UTF-8
 * bytes), and a name containing a newline is an error.
 */
public final class DirHash {
    private DirHash() {
    }

    /** The go.sum hash of a go.mod: Hash1 of the single file {@code go.mod} with these bytes. */
    public static String hashGoMod(byte[] goMod) {
        throw new UnsupportedOperationException("TODO");
    }
}
