package com.gitblit.plugin.goproxy.module.zip;

/**
 * Which files count as vendored (and are left out of a module zip). Two rules exist, chosen by the go
 * version the module's own go.mod declares: modules declaring go 1.24 or later get the corrected rule
 * (Go 1.24 / x/mod 0.22); all others keep the original one, bug included, because their checksums were
 * computed with it and are recorded in go.sum files everywhere.
 */
enum VendorRule {
    /** Declared go &lt; 1.24, or none: {@code vendor/modules.txt} kept; any {@code /vendor/} path with a slash at offset 8 or later omitted. */
    ORIGINAL {
        @Override
        boolean isVendored(String p) {
            int i;
            if (p.startsWith("vendor/")) {
                i = "vendor/".length();
            } else if (p.contains("/vendor/")) {
                // Historical quirk kept for checksum stability: the offset is the length of "/vendor/",
                // measured from the start of the whole path, not from where the match was found.
                i = "/vendor/".length();
            } else {
                return false;
            }
            return p.indexOf('/', i) >= 0;
        }
    },
    /** Declared go &gt;= 1.24: {@code vendor/modules.txt} omitted; only packages below a vendor directory omitted. */
    GO_1_24 {
        @Override
        boolean isVendored(String p) {
            if (p.equals("vendor/modules.txt")) {
                return true;
            }
            int i;
            if (p.startsWith("vendor/")) {
                i = "vendor/".length();
            } else {
                int j = p.indexOf("/vendor/");
                if (j < 0) {
                    return false;
                }
                i = j + "/vendor/".length();
            }
            return p.indexOf('/', i) >= 0;
        }
    };

    abstract boolean isVendored(String path);

    /** The rule for a module whose go.mod declares {@code goVersion} (as the lax parse leaves it; null: none). */
    static VendorRule forGoVersion(String goVersion) {
        if (goVersion == null) {
            return ORIGINAL;
        }
        String[] parts = goVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 1 || major == 1 && minor >= 24 ? GO_1_24 : ORIGINAL;
        } catch (NumberFormatException e) {
            return ORIGINAL;
        }
    }
}
