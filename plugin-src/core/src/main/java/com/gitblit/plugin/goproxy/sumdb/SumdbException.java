package com.gitblit.plugin.goproxy.sumdb;

/** A checksum database answer that cannot be trusted or parsed; the message is one line for a person. */
public final class SumdbException extends Exception {
    private static final long serialVersionUID = 1L;

    public SumdbException(String message) {
        super(message);
    }
}
