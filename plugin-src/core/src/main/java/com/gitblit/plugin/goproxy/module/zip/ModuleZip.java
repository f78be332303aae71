package com.gitblit.plugin.goproxy.module.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;

import com.gitblit.plugin.goproxy.module.CaseFold;
import com.gitblit.plugin.goproxy.module.GoModFile;
import com.gitblit.plugin.goproxy.module.ModulePath;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import com.gitblit.plugin.goproxy.module.PathVersion;
import com.gitblit.plugin.goproxy.module.SemVer;

/**
 * The module zip rules of golang.org/x/mod/zip (CheckFiles, Create), split so that everything that can
 * fail is decided before any byte is written: {@link #check} classifies a file list, {@link #prepare}
 * additionally validates the module path and version and returns a {@link PreparedZip} that only streams.
 *
 * <p>Per file, in this order: unclean or absolute paths are invalid; vendored files (rule chosen by the root
 * go.mod's go version, see {@link VendorRule}) and files below a nested module (a directory holding a regular
 * file named go.mod in any case) are omitted, as is a root {@code .hg_archival.txt}; invalid file paths, a
 * differently-cased root go.mod and case-fold collisions (file/file, file/directory, duplicates) are invalid;
 * symlinks and other non-regular files are omitted; sizes count towards the 500 MiB limit, and a root go.mod
 * or LICENSE over 16 MiB is invalid. Contents are never read here, except the root go.mod's go line.
 */
public final class ModuleZip {
    public static final long MAX_ZIP_FILE = 500L << 20;
    public static final long MAX_GO_MOD = 16L << 20;
    public static final long MAX_LICENSE = 16L << 20;
    /** Deflate level for served zips: zip bytes never enter h1, and level 1 builds several times faster than 6. */
    public static final int DEFAULT_COMPRESSION_LEVEL = Deflater.BEST_SPEED;

    private ModuleZip() {
    }

    /** x/mod CheckFiles, with the vendor rule chosen by the go version of the root go.mod in {@code files}. */
    public static CheckedFiles check(List<? extends ModuleFile> files) {
        return check(files, vendorRuleOf(files));
    }

    static CheckedFiles check(List<? extends ModuleFile> files, VendorRule vendorRule) {
        PathChecks paths = PathChecks.of(files, vendorRule);
        List<ModuleFile> valid = new ArrayList<>();
        List<FileProblem> omitted = new ArrayList<>();
        List<FileProblem> invalid = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        String sizeError = null;
        long remaining = MAX_ZIP_FILE;
        for (int i = 0; i < files.size(); i++) {
            ModuleFile f = files.get(i);
            String p = f.path();
            String problem = paths.problem(i);
            boolean omit = paths.omitted(i);
            if (problem == null) {
                long size = f.size();
                if (size >= 0 && size <= remaining) {
                    remaining -= size;
                } else if (sizeError == null) {
                    sizeError = "module source tree too large (max size is " + MAX_ZIP_FILE + " bytes)";
                }
                if (p.equals("go.mod") && size > MAX_GO_MOD) {
                    problem = "go.mod file too large (max size is " + MAX_GO_MOD + " bytes)";
                } else if (p.equals("LICENSE") && size > MAX_LICENSE) {
                    problem = "LICENSE file too large (max size is " + MAX_LICENSE + " bytes)";
                }
            }
            if (problem == null) {
                valid.add(f);
            } else if (reported.add(p)) {
                (omit ? omitted : invalid).add(new FileProblem(p, problem));
            }
        }
        return new CheckedFiles(valid, omitted, invalid, sizeError);
    }

    /**
     * The rules that depend on the paths and kinds alone, file by file in list order: {@code problem[i]} (null:
     * none) and whether that problem omits the file rather than invalidating the module. Sizes are left to
     * {@link #check}, which {@link PathChecks} memoises this for.
     */
    static void classify(List<String> paths, List<ModuleFile.Kind> kinds, VendorRule vendorRule, String[] problem,
            boolean[] omitted) {
        Set<String> moduleDirs = new HashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            int slash = p.lastIndexOf('/');
            String base = p.substring(slash + 1);
            if (base.equalsIgnoreCase("go.mod") && isAsciiFoldOfGoMod(base) && kinds.get(i) == ModuleFile.Kind.REGULAR) {
                moduleDirs.add(p.substring(0, slash + 1));
            }
        }
        Map<String, Entry> seen = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            ModuleFile.Kind kind = kinds.get(i);
            String why;
            boolean omit = false;
            if (!isClean(p)) {
                why = "file path is not clean";
            } else if (p.startsWith("/")) {
                why = "file path is not relative";
            } else if (vendorRule.isVendored(p)) {
                why = "file is in vendor directory";
                omit = true;
            } else if (inNestedModule(p, moduleDirs)) {
                why = "file is in another module";
                omit = true;
            } else if (p.equals(".hg_archival.txt")) {
                why = "file is inserted by 'hg archive' and is always omitted";
                omit = true;
            } else {
                why = filePathProblem(p);
                if (why == null && isAsciiFoldOfGoMod(p) && !p.equals("go.mod")) {
                    why = "go.mod files must have lowercase names";
                }
                if (why == null) {
                    why = collision(seen, p, false);
                }
                if (why == null && kind == ModuleFile.Kind.SYMLINK) {
                    why = "file is a symbolic link";
                    omit = true;
                } else if (why == null && kind != ModuleFile.Kind.REGULAR) {
                    why = "not a regular file";
                    omit = true;
                }
            }
            problem[i] = why;
            omitted[i] = omit;
        }
    }

    /**
     * Everything x/mod Create checks before writing: module path and version (canonical, major matches),
     * then {@link #check}; throws with the first reason when no zip can be made.
     */
    public static PreparedZip prepare(String modulePath, String version, List<? extends ModuleFile> files)
            throws ModuleRuleException {
        return prepare(modulePath, version, files, DEFAULT_COMPRESSION_LEVEL);
    }

    public static PreparedZip prepare(String modulePath, String version, List<? extends ModuleFile> files,
            int compressionLevel) throws ModuleRuleException {
        String canonical = ModuleVersion.canonical(version);
        if (!canonical.equals(version)) {
            throw new ModuleRuleException("version \"" + version + "\" is not canonical (should be \"" + canonical + "\")");
        }
        ModulePath.checkPath(modulePath);
        if (!SemVer.isValid(version)) {
            throw new ModuleRuleException(modulePath + "@" + version + ": invalid version: not a semantic version");
        }
        PathVersion pv = ModulePath.splitPathVersion(modulePath);
        try {
            ModulePath.checkPathMajor(version, pv == null ? "" : pv.pathMajor());
        } catch (ModuleRuleException e) {
            throw new ModuleRuleException(modulePath + "@" + e.getMessage());
        }
        CheckedFiles checked = check(files);
        if (!checked.isValid()) {
            throw new ModuleRuleException(checked.error());
        }
        return new StreamingZip(modulePath + "@" + version + "/", checked.valid(), compressionLevel);
    }

    /** The vendor rule the root go.mod's go line selects; reads only that file, and only if small enough. */
    static VendorRule vendorRuleOf(List<? extends ModuleFile> files) {
        for (ModuleFile f : files) {
            if (f.path().equals("go.mod") && f.kind() == ModuleFile.Kind.REGULAR && f.size() <= MAX_GO_MOD) {
                try (InputStream in = f.open()) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.max(0, f.size()));
                    byte[] b = new byte[8192];
                    int n;
                    while ((n = in.read(b)) > 0) {
                        buf.write(b, 0, n);
                    }
                    return VendorRule.forGoVersion(GoModFile.parseLax(buf.toByteArray()).goVersion());
                } catch (IOException | ModuleRuleException e) {
                    return VendorRule.ORIGINAL;
                }
            }
        }
        return VendorRule.ORIGINAL;
    }

    private static String filePathProblem(String p) {
        try {
            ModulePath.checkFilePath(p);
            return null;
        } catch (ModuleRuleException e) {
            return e.getMessage();
        }
    }

    /** Go's strings.EqualFold(base, "go.mod") is ASCII-only here except for K/S-like runes, absent from "go.mod". */
    private static boolean isAsciiFoldOfGoMod(String s) {
        return s.length() == 6 && s.equalsIgnoreCase("go.mod") && s.chars().allMatch(c -> c < 0x80);
    }

    private static boolean inNestedModule(String p, Set<String> moduleDirs) {
        int slash = p.lastIndexOf('/');
        while (slash >= 0) {
            if (moduleDirs.contains(p.substring(0, slash + 1))) {
                return true;
            }
            slash = p.lastIndexOf('/', slash - 1);
        }
        return false;
    }

    private static final class Entry {
        final String path;
        final boolean dir;

        Entry(String path, boolean dir) {
            this.path = path;
            this.dir = dir;
        }
    }

    /** x/mod's collisionChecker: the path and every ancestor directory, keyed by their case fold. */
    private static String collision(Map<String, Entry> seen, String p, boolean isDir) {
        String fold = CaseFold.fold(p);
        Entry other = seen.get(fold);
        if (other != null) {
            if (!p.equals(other.path)) {
                return "case-insensitive file name collision: \"" + other.path + "\" and \"" + p + "\"";
            }
            if (isDir != other.dir) {
                return "entry \"" + p + "\" is both a file and a directory";
            }
            if (!isDir) {
                return "multiple entries for file \"" + p + "\"";
            }
        } else {
            seen.put(fold, new Entry(p, isDir));
        }
        int slash = p.lastIndexOf('/');
        return slash > 0 ? collision(seen, p.substring(0, slash), true) : null;
    }

    /** Go's path.Clean(p) == p, for relative and absolute slash paths. */
    static boolean isClean(String p) {
        if (p.isEmpty()) {
            return false;
        }
        if (p.equals(".")) {
            return true;
        }
        if (p.length() > 1 && p.endsWith("/")) {
            return false;
        }
        String[] elems = p.split("/", -1);
        for (int i = 0; i < elems.length; i++) {
            String e = elems[i];
            if (e.equals(".") || e.equals("..")) {
                return false;
            }
            if (e.isEmpty() && !(i == 0 && p.startsWith("/"))) {
                return p.equals("/");
            }
        }
        return true;
    }
}
