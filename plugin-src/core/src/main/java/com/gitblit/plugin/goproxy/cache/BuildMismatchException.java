package com.gitblit.plugin.goproxy.cache;

/** A rebuild's h1 differs from the one the ledger recorded: nothing of it was served or stored. */
public class BuildMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BuildMismatchException(String message) {
        super(message);
    }
}
