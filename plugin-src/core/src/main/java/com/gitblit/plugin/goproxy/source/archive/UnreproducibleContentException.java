package com.gitblit.plugin.goproxy.source.archive;

/**
 * A file's bytes in cmd/go's archive depend on something this reader deliberately does not reproduce
 * (e.g. a {@code working-tree-encoding} whose glibc conversion table is not known to equal the JDK's). The
 * version must be refused rather than served with possibly different bytes.
 */
public final class UnreproducibleContentException extends GitArchiveException {
    private static final long serialVersionUID = 1L;

    public UnreproducibleContentException(String message) {
        super(message);
    }
}
