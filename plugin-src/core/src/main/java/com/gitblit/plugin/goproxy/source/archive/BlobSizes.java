package com.gitblit.plugin.goproxy.source.archive;

import java.io.File;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Blob sizes already looked up, per repository folder. A listing needs every blob's size, and JGit finds a
 * packed object's size by reading its header through the window cache: checking a pushed tag of a 5,000-file
 * module reads 5,000 headers, and with Gitblit's default 10 MiB cache the next tag of the same tree reads them
 * all again from the pack (a push of 100 version tags spent two thirds of its checks there). A blob id names its
 * content, so its size never changes. Kept per repository folder, so that a blob missing from one repository is
 * still found missing there; bounded, least recently used first out.
 */
final class BlobSizes {
    private static final int MAX_ENTRIES = 50_000;

    private static final class Key {
        final File repository;
        final ObjectId blob;

        Key(File repository, ObjectId blob) {
            this.repository = repository;
            this.blob = blob;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).blob.equals(blob) && ((Key) o).repository.equals(repository);
        }

        @Override
        public int hashCode() {
            return blob.hashCode() * 31 + repository.hashCode();
        }
    }

    private static final Map<Key, Long> SIZES = Collections.synchronizedMap(new LinkedHashMap<Key, Long>(1024, 0.75f,
            true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    });

    private BlobSizes() {
    }

    /** The size of blob {@code id}; {@code repository} null (an in-memory repository) looks it up every time. */
    static long of(ObjectReader reader, File repository, ObjectId id) throws IOException {
        if (repository == null) {
            return reader.getObjectSize(id, Constants.OBJ_BLOB);
        }
        Key key = new Key(repository, id.copy());
        Long known = SIZES.get(key);
        if (known != null) {
            return known;
        }
        long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
        SIZES.put(key, size);
        return size;
    }
}
