package com.gitblit.plugin.goproxy.catalog;

import java.util.List;

import com.gitblit.plugin.goproxy.service.VersionView;

/** A version page: the version's listing, its go.mod with links, its packages and recorded hashes. */
public final class VersionPage {
    private final String modulePath;
    private final VersionEntry entry;
    private final VersionView view;
    private final List<GoModLinks.Line> goMod;

    VersionPage(String modulePath, VersionEntry entry, VersionView view, List<GoModLinks.Line> goMod) {
        this.modulePath = modulePath;
        this.entry = entry;
        this.view = view;
        this.goMod = goMod;
    }

    public String modulePath() {
        return modulePath;
    }

    public VersionEntry entry() {
        return entry;
    }

    /** The commit served for this version (the pinned one when it was served before). */
    public String commit() {
        return view.commit();
    }

    /** The module's directory in the repository ({@code ""}: the root). */
    public String directory() {
        return view.contents().directory();
    }

    public List<GoModLinks.Line> goMod() {
        return goMod;
    }

    /** Package directories relative to the module root; {@code ""} is the root package. */
    public List<String> packages() {
        return view.contents().packages();
    }

    /** The import path of a package directory of {@link #packages()}. */
    public String importPath(String packageDir) {
        return packageDir.isEmpty() ? modulePath : modulePath + "/" + packageDir;
    }

    /**
     * The go.sum lines of this version when it was served before (a page never builds a zip), else empty: the
     * zip line only once its zip was built.
     */
    public java.util.List<String> goSumLines() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (view.zipH1() != null) {
            lines.add(modulePath + " " + entry.version() + " " + view.zipH1());
        }
        if (view.modH1() != null) {
            lines.add(modulePath + " " + entry.version() + "/go.mod " + view.modH1());
        }
        return lines;
    }
}
