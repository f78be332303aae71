package com.gitblit.plugin.goproxy.module.zip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.gitblit.plugin.goproxy.module.CaseFold;
import com.gitblit.plugin.goproxy.module.ModulePath;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;

/**
 * Checks a module zip someone else made (x/mod/zip's CheckZip, then its Unzip's reading) and returns its h1,
 * so that a zip from another proxy is served only if the go command can extract it safely. In order: the
 * file's size (500 MiB); every entry below {@code module@version/}; each clean, valid file path; no case-fold
 * collisions, duplicates or file/directory conflicts; go.mod only at the root and spelled {@code go.mod};
 * total uncompressed size (500 MiB), go.mod and LICENSE (16 MiB each); and every entry's content as long as its
 * header says, checked while it is hashed.
 */
public final class ZipFileCheck {
    private ZipFileCheck() {
    }

    /**
     * The zip's {@code h1:}.
     *
     * @throws ModuleRuleException with the first rule the zip breaks, one line
     */
    public static String hash(File zip, String modulePath, String version) throws ModuleRuleException, IOException {
        if (!version.equals(ModuleVersion.canonical(version))) {
            throw new ModuleRuleException("version \"" + version + "\" is not canonical (should be \""
                    + ModuleVersion.canonical(version) + "\")");
        }
        ModulePath.checkPath(modulePath);
        com.gitblit.plugin.goproxy.module.PathVersion pv = ModulePath.splitPathVersion(modulePath);
        if (pv == null) {
            throw new ModuleRuleException("malformed module path \"" + modulePath + "\": invalid version suffix");
        }
        ModulePath.checkPathMajor(version, pv.pathMajor());
        if (zip.length() > ModuleZip.MAX_ZIP_FILE) {
            throw new ModuleRuleException("module zip file is too large (" + zip.length() + " bytes; limit is "
                    + ModuleZip.MAX_ZIP_FILE + " bytes)");
        }
        String prefix = modulePath + "@" + version + "/";
        List<DirHash.Entry> hashed = new ArrayList<>();
        Map<String, String> folded = new HashMap<>();
        long total = 0;
        try (ZipFile z = new ZipFile(zip)) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String full = e.getName();
                if (!full.startsWith(prefix)) {
                    throw invalid(full, "path does not have prefix \"" + prefix + "\"");
                }
                String name = full.substring(prefix.length());
                if (name.isEmpty()) {
                    continue;
                }
                boolean dir = name.endsWith("/");
                if (dir) {
                    name = name.substring(0, name.length() - 1);
                }
                checkName(full, name);
                collide(folded, full, name, dir);
                if (dir) {
                    continue;
                }
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (base.equalsIgnoreCase("go.mod") && !name.equals("go.mod")) {
                    throw invalid(full, base.equals(name) ? "go.mod files must have lowercase names"
                            : "go.mod file not in module root directory");
                }
                long declared = e.getSize();
                if (declared < 0 || ModuleZip.MAX_ZIP_FILE - total < declared) {
                    throw new ModuleRuleException("total uncompressed size of module contents too large (max size is "
                            + ModuleZip.MAX_ZIP_FILE + " bytes)");
                }
                total += declared;
                if (name.equals("go.mod") && declared > ModuleZip.MAX_GO_MOD) {
                    throw invalid(full, "go.mod file too large (max size is " + ModuleZip.MAX_GO_MOD + " bytes)");
                }
                if (name.equals("LICENSE") && declared > ModuleZip.MAX_LICENSE) {
                    throw invalid(full, "LICENSE file too large (max size is " + ModuleZip.MAX_LICENSE + " bytes)");
                }
                hashed.add(new DirHash.Entry(full, digest(z, e, declared)));
            }
        } catch (java.util.zip.ZipException e) {
            throw new ModuleRuleException("not a valid zip file: " + e.getMessage());
        }
        return DirHash.hash1(hashed);
    }

    private static void checkName(String full, String name) throws ModuleRuleException {
        for (String element : name.split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                throw invalid(full, "file path is not clean");
            }
        }
        try {
            ModulePath.checkFilePath(name);
        } catch (ModuleRuleException e) {
            throw invalid(full, e.getMessage());
        }
    }

    /** Case-fold collisions, duplicates, and names used both as a file and as a directory. */
    private static void collide(Map<String, String> seen, String full, String name, boolean dir)
            throws ModuleRuleException {
        String kind = dir ? "d" : "f";
        String key = CaseFold.fold(name);
        String prev = seen.get(key);
        if (prev != null) {
            String prevName = prev.substring(1);
            if (!prevName.equals(name)) {
                throw invalid(full, "case-insensitive file name collision: \"" + prevName + "\" and \"" + name + "\"");
            }
            if (!prev.startsWith(kind)) {
                throw invalid(full, "entry \"" + name + "\" is both a file and a directory");
            }
            if (!dir) {
                throw invalid(full, "multiple entries for file \"" + name + "\"");
            }
        }
        seen.put(key, kind + name);
        for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
            String parent = name.substring(0, slash);
            String pk = CaseFold.fold(parent);
            String p = seen.get(pk);
            if (p != null && (!p.substring(1).equals(parent) || p.startsWith("f"))) {
                throw invalid(full, p.startsWith("f") ? "entry \"" + parent + "\" is both a file and a directory"
                        : "case-insensitive file name collision: \"" + p.substring(1) + "\" and \"" + parent + "\"");
            }
            seen.put(pk, "d" + parent);
        }
    }

    /** SHA-256 of an entry's content, which must be exactly as long as its header says. */
    private static byte[] digest(ZipFile z, ZipEntry e, long declared) throws IOException, ModuleRuleException {
        MessageDigest sha = DirHash.sha256();
        long read = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = z.getInputStream(e)) {
            for (int n; (n = in.read(buf)) > 0;) {
                read += n;
                if (read > declared) {
                    throw invalid(e.getName(), "uncompressed size is larger than declared");
                }
                sha.update(buf, 0, n);
            }
        } catch (java.util.zip.ZipException ex) {
            throw invalid(e.getName(), ex.getMessage());
        }
        if (read != declared) {
            throw invalid(e.getName(), "uncompressed size is smaller than declared");
        }
        return sha.digest();
    }

    private static ModuleRuleException invalid(String entry, String why) {
        return new ModuleRuleException(entry + ": " + why);
    }
}
