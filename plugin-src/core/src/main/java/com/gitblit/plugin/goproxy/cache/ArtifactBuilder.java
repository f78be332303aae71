package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one artifact; returns the h1 of its contents (or null when it has none). */
public interface ArtifactBuilder {
    String build(OutputStream out) throws IOException;
}
