package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** An artifact held in memory: a go.mod, an upstream list or .info answer ({@code h1} null: no ETag). */
final class BytesArtifact implements Artifact {
    private final String type;
    private final byte[] body;
    private final String h1;
    private final long lastModified;

    BytesArtifact(String type, byte[] body, String h1, long lastModified) {
        this.type = type;
        this.body = body;
        this.h1 = h1;
        this.lastModified = lastModified;
    }

    @Override
    public String contentType() {
        return type;
    }

    @Override
    public long length() {
        return body.length;
    }

    @Override
    public String etag() {
        return h1;
    }

    @Override
    public long lastModified() {
        return lastModified;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(body);
    }

    @Override
    public InputStream completeBody() {
        return new java.io.ByteArrayInputStream(body);
    }
}
