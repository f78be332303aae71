package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The layout of the proxy's data folder, marked by a {@code FORMAT} file, and the migration from older layouts.
 *
 * <p>Format 1 (plugin 0.1.0, no marker): {@code ledger/<2 hex>/<sha256(module@version)>.properties} and artifacts
 * with {@code .h1} sidecars. Format 2: the ledger in {@code version-ledger/} by module and version
 * ({@link FileVersionLedger}), artifacts with {@code .meta} sidecars ({@link FileArtifactStore}).
 *
 * <p>Migrating keeps a copy of the old ledger under {@code backup/}, copies every entry (the first writer wins,
 * so running it again, after a crash or not, changes nothing), writes the marker last, and then replaces the old
 * {@code ledger/} folder by a file saying why: an older plugin fails to start on it (a 503 and a log line)
 * instead of pinning versions afresh. A newer format than this code knows is refused with a clear message.
 * Artifacts of format 1 are dropped by the store (they are rebuilt on demand, with the same bytes).
 */
public final class DataFolderFormat {
    public static final int CURRENT = 2;
    static final String MARKER = "FORMAT";
    static final String LEDGER = "version-ledger";
    static final String ARTIFACTS = "artifacts";
    private static final String OLD_LEDGER = "ledger";

    private DataFolderFormat() {
    }

    /** The ledger folder of a prepared data folder. */
    public static Path ledger(Path dataFolder) {
        return dataFolder.resolve(LEDGER);
    }

    /**
     * Where a node whose ledger is a shared database keeps its own copy of it (read-through, never pinned into),
     * apart from {@link #ledger}, which then stays as it was (the source of a migration).
     */
    public static Path ledgerCopy(Path dataFolder) {
        return dataFolder.resolve("ledger-copy");
    }

    /**
     * Written by a migration of {@link #ledger} into a shared database that met no conflict: the folder's own
     * entries are then known to be there, and no longer worth a warning at every start.
     */
    public static Path ledgerMigrated(Path dataFolder) {
        return dataFolder.resolve("version-ledger-migrated");
    }

    /** The artifact folder of a prepared data folder. */
    public static Path artifacts(Path dataFolder) {
        return dataFolder.resolve(ARTIFACTS);
    }

    /**
     * Makes {@code dataFolder} a folder of the current format: creates it, or migrates it. Returns one line
     * saying what it did, for the log.
     *
     * @throws IOException when the folder cannot be used: written by a newer plugin, not writable, damaged
     */
    public static String prepare(Path dataFolder) throws IOException {
        Files.createDirectories(dataFolder);
        Path marker = dataFolder.resolve(MARKER);
        if (Files.exists(marker)) {
            int format = read(marker);
            if (format > CURRENT) {
                throw new IOException("the data folder " + dataFolder + " has format " + format
                        + ", written by a newer version of the Go proxy; this version understands format " + CURRENT
                        + " and will not touch it");
            }
            if (format == CURRENT) {
                finishOldLedger(dataFolder);
                return "data folder " + dataFolder + " (format " + CURRENT + ")";
            }
        }
        Path old = dataFolder.resolve(OLD_LEDGER);
        if (!Files.isDirectory(old)) {
            Files.createDirectories(ledger(dataFolder));
            writeMarker(marker);
            return "data folder " + dataFolder + " created (format " + CURRENT + ")";
        }
        Path backup = backup(dataFolder, old);
        int copied = copyEntries(old, new FileVersionLedger(ledger(dataFolder)));
        writeMarker(marker);
        finishOldLedger(dataFolder);
        return "data folder " + dataFolder + " migrated from format 1 to " + CURRENT + ": " + copied
                + " pinned versions copied; the old ledger is kept in " + backup;
    }

    private static int read(Path marker) throws IOException {
        String text = new String(Files.readAllBytes(marker), StandardCharsets.UTF_8).trim();
        try {
            return Integer.parseInt(text.replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            throw new IOException("the data folder marker " + marker + " is damaged: " + text, e);
        }
    }

    private static void writeMarker(Path marker) throws IOException {
        AtomicFiles.write(marker, ("goproxy data folder format " + CURRENT + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Path backup(Path dataFolder, Path old) throws IOException {
        SimpleDateFormat stamp = new SimpleDateFormat("yyyyMMdd-HHmmss", Locale.ROOT);
        stamp.setTimeZone(TimeZone.getTimeZone("UTC"));
        Path target = dataFolder.resolve("backup").resolve("ledger-format1-" + stamp.format(new Date()));
        copyTree(old, target);
        return target;
    }

    private static int copyEntries(Path old, VersionLedger ledger) throws IOException {
        int[] count = {0};
        Files.walkFileTree(old, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().endsWith(FileVersionLedger.SUFFIX)) {
                    return FileVisitResult.CONTINUE;
                }
                LedgerEntry e = FileVersionLedger.read(file);
                if (e == null) {
                    return FileVisitResult.CONTINUE;
                }
                ledger.recordCommit(e.modulePath(), e.version(), e.commit(), e.repositoryKey(), e.origin());
                try {
                    if (e.modH1() != null) {
                        ledger.recordModHash(e.modulePath(), e.version(), e.modH1());
                    }
                    if (e.zipH1() != null) {
                        ledger.recordZipHash(e.modulePath(), e.version(), e.zipH1());
                    }
                } catch (LedgerConflictException conflict) {
                    throw new IOException("migrating " + file + ": " + conflict.getMessage(), conflict);
                }
                count[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        return count[0];
    }

    /** After the marker: the old ledger folder becomes a file that stops older plugins (idempotent). */
    private static void finishOldLedger(Path dataFolder) throws IOException {
        Path old = dataFolder.resolve(OLD_LEDGER);
        if (!Files.isDirectory(old)) {
            return;
        }
        deleteTree(old);
        AtomicFiles.write(old, ("This data folder was migrated to format " + CURRENT
                + " of the Gitblit Go module proxy (see " + MARKER + "); the ledger is now in " + LEDGER
                + "/ and a copy of the old one in backup/. Plugin versions that know only format 1 cannot use this folder.\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
