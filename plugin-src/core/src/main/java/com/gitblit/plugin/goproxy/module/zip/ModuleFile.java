package com.gitblit.plugin.goproxy.module.zip;

import java.io.IOException;
import java.io.InputStream;

/**
 * One entry of a module's file tree, as x/mod's {@code zip.File}: a slash-separated path relative to the
 * module root, its kind, its size and its content. The size is the number of bytes {@link #open()} yields
 * (after any git-archive conversion), known before the content is read, so a whole tree can be validated
 * before the first byte of a zip is written.
 */
public interface ModuleFile {

    /** Kinds that matter to the zip rules: only regular files are included. */
    enum Kind { REGULAR, SYMLINK, OTHER }

    /** Relative path; invalid UTF-8 in a name arrives with U+FFFD in its place (CheckFilePath rejects it). */
    String path();

    Kind kind();

    /** Content length in bytes; only meaningful for {@link Kind#REGULAR}. */
    long size();

    /** Opens the content; called only for files that are included, at most once per write. */
    InputStream open() throws IOException;
}
