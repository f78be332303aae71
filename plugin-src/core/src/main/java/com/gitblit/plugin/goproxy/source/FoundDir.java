package com.gitblit.plugin.goproxy.source;

/** Where cmd/go's findDir found a module at a commit: its directory, and its go.mod (null: none, a legacy version). */
final class FoundDir {
    final String dir;
    final byte[] goMod;

    FoundDir(String dir, byte[] goMod) {
        this.dir = dir;
        this.goMod = goMod;
    }
}
