package com.gitblit.plugin.goproxy.source.archive;

import java.io.File;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Run in a separate JVM with a small heap by {@link GitArchiveLargeFileTest}: lists a module and streams
 * every file, printing {@code path TAB size TAB sha256 TAB bytes-read} per line. A reader that held a file in
 * memory would die of OutOfMemoryError here.
 */
public final class StreamingProbe {
    private StreamingProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(new File(args[0])).setBare().build();
                GitArchiveReader reader = new GitArchiveReader(repo)) {
            for (ArchiveFile f : reader.list(ObjectId.fromString(args[1]), args.length > 2 ? args[2] : "")) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long n = 0;
                byte[] buf = new byte[65536];
                try (InputStream in = f.open()) {
                    int r;
                    while ((r = in.read(buf)) >= 0) {
                        md.update(buf, 0, r);
                        n += r;
                    }
                }
                System.out.println(f.path() + "\t" + f.size() + "\t" + HexFormat.of().formatHex(md.digest()) + "\t" + n);
            }
        }
    }
}
