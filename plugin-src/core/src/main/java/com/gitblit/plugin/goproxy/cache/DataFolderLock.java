package com.gitblit.plugin.goproxy.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one owner of a data folder: a server while it serves, or an offline command while it runs. An operating
 * system lock on {@code <data>/owner.lock}, so it is released when its process ends however it ends (a crash leaves
 * the file, never the lock). Two services over one folder would each believe they own its ledger and cache.
 */
public final class DataFolderLock implements Closeable {
    static final String FILE = "owner.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder's lock, creating the folder if needed.
     *
     * @param who what takes it, for the lock file (read by operators) and the refusal of the next taker
     * @throws IOException with a one-line reason when another process (or another owner in this one) holds it
     */
    public static DataFolderLock acquire(Path dataFolder, String who) throws IOException {
        Path file = Files.createDirectories(dataFolder).resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            String holder = holder(file);
            throw new IOException("the data folder " + dataFolder + " is in use" + (holder.isEmpty() ? "" : " by " + holder)
                    + " (lock " + file + "): stop it first");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap((who + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        channel.force(false);
        return new DataFolderLock(channel, lock);
    }

    private static String holder(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).trim();
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).replaceAll("\\p{Cntrl}", " ");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
