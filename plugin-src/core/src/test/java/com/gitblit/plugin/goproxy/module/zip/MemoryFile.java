package com.gitblit.plugin.goproxy.module.zip;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A module file held in memory, for tests. */
class MemoryFile implements ModuleFile {
    private final String path;
    private final Kind kind;
    private final byte[] content;

    MemoryFile(String path, byte[] content) {
        this(path, Kind.REGULAR, content);
    }

    MemoryFile(String path, Kind kind, byte[] content) {
        this.path = path;
        this.kind = kind;
        this.content = content;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public long size() {
        return content.length;
    }

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(content);
    }
}
