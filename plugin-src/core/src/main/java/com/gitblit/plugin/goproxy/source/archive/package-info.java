/**
 * A module's files read from a git commit exactly as cmd/go's direct mode gets them from {@code git archive}
 * (git 2.39 on Linux, cmd/go 1.19), with JGit only and in constant memory: the file list in tree order,
 * symlinks, the root LICENSE for modules below the root, and each regular file's bytes after git's checkout
 * conversions driven by the archived tree's {@code .gitattributes} (end of line, {@code ident},
 * {@code working-tree-encoding}). Entry point: {@link com.gitblit.plugin.goproxy.source.archive.GitArchiveReader}.
 * What git would fail on, and what this package will not guess, is reported as a
 * {@link com.gitblit.plugin.goproxy.source.archive.GitArchiveException}.
 */
package com.gitblit.plugin.goproxy.source.archive;
