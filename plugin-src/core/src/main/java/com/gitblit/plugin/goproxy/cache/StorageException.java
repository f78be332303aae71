package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;

/**
 * The data folder refused a write (read-only, full, replaced by something else). Unlike a failure to read
 * git, this says nothing about the module: the service answers it as a server fault (503), never as "no such
 * version".
 */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
