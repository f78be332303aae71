package com.gitblit.plugin.goproxy.module.zip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path-only half of {@link ModuleZip#check} (clean, vendored, nested module, file name rules, case-fold
 * collisions, kinds), remembered for the last few file lists. Releases of one module mostly share their file list
 * and differ in contents: a push of 100 version tags on 100 commits checked the same 5,000 paths 100 times, and
 * those checks were a quarter of the push checks' cost. The answer is a function of the paths, their order, their
 * kinds and the vendor rule, which together are the key; sizes, which do change, are checked every time.
 */
final class PathChecks {
    private static final int REMEMBERED_LISTS = 8;

    private static final class Key {
        final List<String> paths;
        final List<ModuleFile.Kind> kinds;
        final VendorRule vendorRule;
        final int hash;

        Key(List<String> paths, List<ModuleFile.Kind> kinds, VendorRule vendorRule) {
            this.paths = paths;
            this.kinds = kinds;
            this.vendorRule = vendorRule;
            this.hash = (paths.hashCode() * 31 + kinds.hashCode()) * 31 + vendorRule.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return hash == k.hash && vendorRule == k.vendorRule && kinds.equals(k.kinds) && paths.equals(k.paths);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final Map<Key, PathChecks> REMEMBERED = Collections.synchronizedMap(
            new LinkedHashMap<Key, PathChecks>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, PathChecks> eldest) {
                    return size() > REMEMBERED_LISTS;
                }
            });

    private final String[] problems;
    private final boolean[] omitted;

    private PathChecks(String[] problems, boolean[] omitted) {
        this.problems = problems;
        this.omitted = omitted;
    }

    static PathChecks of(List<? extends ModuleFile> files, VendorRule vendorRule) {
        List<String> paths = new ArrayList<>(files.size());
        List<ModuleFile.Kind> kinds = new ArrayList<>(files.size());
        for (ModuleFile f : files) {
            paths.add(f.path());
            kinds.add(f.kind());
        }
        Key key = new Key(paths, kinds, vendorRule);
        PathChecks known = REMEMBERED.get(key);
        if (known != null) {
            return known;
        }
        String[] problems = new String[paths.size()];
        boolean[] omitted = new boolean[paths.size()];
        ModuleZip.classify(paths, kinds, vendorRule, problems, omitted);
        PathChecks checks = new PathChecks(problems, omitted);
        REMEMBERED.put(key, checks);
        return checks;
    }

    /** The problem of file {@code i} that its path or kind alone decides, or null. */
    String problem(int i) {
        return problems[i];
    }

    /** Whether that problem omits file {@code i} (rather than making the module invalid). */
    boolean omitted(int i) {
        return omitted[i];
    }
}
