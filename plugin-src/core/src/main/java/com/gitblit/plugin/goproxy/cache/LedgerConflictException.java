package com.gitblit.plugin.goproxy.cache;

/** A build produced an h1 other than the one first served for that version: it must never be served. */
public class LedgerConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    public LedgerConflictException(String message) {
        super(message);
    }
}
