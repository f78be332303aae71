package com.gitblit.plugin.goproxy.module;

/** Module-level version helpers from x/mod's {@code module} package. */
public final class ModuleVersion {
    private ModuleVersion() {
    }

    /** x/mod module.CanonicalVersion: like SemVer.canonical, but keeps the {@code +incompatible} suffix. */
    public static String canonical(String v) {
        String cv = SemVer.canonical(v);
        return "+incompatible".equals(SemVer.build(v)) ? cv + "+incompatible" : cv;
    }
}
