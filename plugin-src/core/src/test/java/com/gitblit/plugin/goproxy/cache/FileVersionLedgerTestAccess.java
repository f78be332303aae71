package com.gitblit.plugin.goproxy.cache;

/** Where the file ledger keeps a module, for tests that plant faults under it. */
public final class FileVersionLedgerTestAccess {
    private FileVersionLedgerTestAccess() {
    }

    public static String moduleShard(String modulePath) {
        return FileVersionLedger.sha256Hex(modulePath).substring(0, 2);
    }
}
