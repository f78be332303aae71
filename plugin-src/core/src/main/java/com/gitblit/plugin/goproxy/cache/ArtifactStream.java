package com.gitblit.plugin.goproxy.cache;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The bytes of an artifact for one response: a stored file, or a build's file read as it grows. */
public final class ArtifactStream implements Closeable {
    private final StoredArtifact stored;
    private final BuildCoordinator.Build build;
    private final FileChannel channel;
    private InputStream opened;

    private ArtifactStream(StoredArtifact stored, BuildCoordinator.Build build, FileChannel channel) {
        this.stored = stored;
        this.build = build;
        this.channel = channel;
    }

    static ArtifactStream ofStored(StoredArtifact stored) {
        return new ArtifactStream(stored, null, null);
    }

    static ArtifactStream ofBuild(BuildCoordinator.Build build, FileChannel channel) {
        return new ArtifactStream(null, build, channel);
    }

    /** Known for stored artifacts; -1 while a build is running. */
    public long lengthOrMinusOne() {
        return stored != null ? stored.length() : -1;
    }

    /** The h1, when the artifact is stored. */
    public String h1OrNull() {
        return stored != null ? stored.h1() : null;
    }

    /** True when this stream reads a build in progress (the response starts before the build ends). */
    public boolean isLive() {
        return build != null;
    }

    /** Waits until the artifact is complete (at once for a stored one); fails if its build failed. */
    public void awaitEnd() throws IOException {
        if (build != null && build.awaitStored() == null) {
            throw new IOException("building " + build.key + " failed", build.failure);
        }
    }

    public InputStream stream() throws IOException {
        if (opened == null) {
            opened = stored != null ? stored.open() : new TailingInput();
        }
        return opened;
    }

    @Override
    public void close() throws IOException {
        if (opened != null) {
            opened.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Reads the build's file, waiting for more while the build runs; fails if the build fails. */
    private final class TailingInput extends InputStream {
        private long position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long available = build.awaitBeyond(position);
            if (available <= position) {
                return -1;
            }
            int want = (int) Math.min(len, available - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new IOException("the build file of an artifact ended early");
            }
            position += n;
            return n;
        }
    }
}
