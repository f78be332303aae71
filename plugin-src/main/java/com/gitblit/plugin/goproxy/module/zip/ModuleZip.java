package com.gitblit.plugin.goproxy.module.zip;

import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import java.util.List;

/**
 * The module zip rules of golang.org/x/mod/zip (CheckFiles, Create), split so that everything that can
 * fail is decided before any byte is written: {@link #check} classifies a file list, {@link #prepare}
 * additionally validates the module path and version and returns a {@link PreparedZip} that only streams.
 */
public final class ModuleZip {
    private ModuleZip() {
    }

    /** x/mod CheckFiles, with the vendor rule chosen by the go version of the root go.mod in {@code files}. */
    public static CheckedFiles check(List<? extends ModuleFile> files) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Everything x/mod Create checks before writing: module path and version (canonical, major matches),
     * then {@link #check}; throws with the first reason when no zip can be made.
     */
    public static PreparedZip prepare(String modulePath, String version, List<? extends ModuleFile> files)
            throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }
}
