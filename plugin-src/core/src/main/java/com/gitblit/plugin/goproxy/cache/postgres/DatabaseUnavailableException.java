package com.gitblit.plugin.goproxy.cache.postgres;

import com.gitblit.plugin.goproxy.cache.StorageException;

/**
 * The shared database cannot be reached now (down, restarting, the network cut, every pooled connection busy).
 * Unlike other storage faults it is expected to pass: pinned versions are served from the node's own copy, and
 * new pins and checksum appends answer "try again".
 */
public class DatabaseUnavailableException extends StorageException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
