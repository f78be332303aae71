package com.gitblit.plugin.goproxy.source.archive;

import com.gitblit.plugin.goproxy.module.zip.ModuleFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * One file of a module as cmd/go gets it from {@code git archive}: a regular file (content after git's
 * checkout conversions), a symbolic link (content = link target, as stored), or the repository root's
 * {@code LICENSE} appended for a module below the root (raw blob). Readable only while the
 * {@link GitArchiveReader} that listed it is open, one stream at a time per reader.
 */
public final class ArchiveFile implements ModuleFile {
    private final GitArchiveReader owner;
    private final byte[] rawPath;
    private final String path;
    private final Kind kind;
    private final ObjectId blob;
    private final long size;
    private final ConvertedBlob converted;
    private final boolean rootLicense;

    ArchiveFile(GitArchiveReader owner, byte[] rawPath, Kind kind, ObjectId blob, long size, ConvertedBlob converted,
            boolean rootLicense) {
        this.owner = owner;
        this.rawPath = rawPath;
        // malformed UTF-8 decodes to U+FFFD, which the zip path rules reject
        this.path = new String(rawPath, StandardCharsets.UTF_8);
        this.kind = kind;
        this.blob = blob;
        this.size = size;
        this.converted = converted;
        this.rootLicense = rootLicense;
    }

    @Override
    public String path() {
        return path;
    }

    /** The path relative to the module directory exactly as stored in git (it may not be UTF-8). */
    public byte[] rawPath() {
        return Arrays.copyOf(rawPath, rawPath.length);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public long size() {
        return size;
    }

    /** The blob the content comes from. */
    public ObjectId blobId() {
        return blob;
    }

    /** True when git's conversions make the content differ from the blob. */
    public boolean isConverted() {
        return converted != null && converted.changesContent();
    }

    /** True for the repository root's {@code LICENSE} that cmd/go adds to a module below the root. */
    public boolean isRootLicense() {
        return rootLicense;
    }

    @Override
    public InputStream open() throws IOException {
        ObjectReader reader = owner.objectReader();
        if (converted != null) {
            return converted.open(reader);
        }
        return reader.open(blob, Constants.OBJ_BLOB).openStream();
    }

    @Override
    public String toString() {
        return path + " (" + kind + ", " + size + " bytes" + (rootLicense ? ", root LICENSE" : "")
                + (converted != null ? ", " + converted : "") + ")";
    }
}
