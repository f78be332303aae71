package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The on-disk format of the proxy's data folder (ledger and artifact store). Hosts call {@link #prepare} before
 * the service opens the folder: when Gitblit installs or upgrades the plugin, and the standalone server at start.
 *
 * <p>Placeholder: it only creates the folder. The format marker, the migration with its backup and the refusal
 * of a folder written by a newer plugin belong here.
 */
public final class DataFolderFormat {
    private DataFolderFormat() {
    }

    /**
     * Makes {@code dataFolder} ready for this version of the plugin.
     *
     * @return what was done, in a few words, for the host's log line
     * @throws IOException when the folder cannot be created or used
     */
    public static String prepare(Path dataFolder) throws IOException {
        if (Files.isDirectory(dataFolder)) {
            return "data folder " + dataFolder + " kept as it is";
        }
        Files.createDirectories(dataFolder);
        return "data folder " + dataFolder + " created";
    }
}
