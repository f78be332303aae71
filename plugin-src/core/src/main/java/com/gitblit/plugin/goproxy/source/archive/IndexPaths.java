package com.gitblit.plugin.goproxy.source.archive;

/**
 * The paths git 2.39 on Linux refuses to put in an index ({@code verify_path} with its defaults
 * {@code core.protectNTFS=true}, {@code core.protectHFS=false}). {@code git archive} loads the WHOLE
 * commit tree into an in-memory index to read attributes, so one such path anywhere in the tree (even outside
 * the module directory) makes it fail ("error: invalid path"), and cmd/go cannot download the version.
 * Refused, for every entry that is not a directory:
 * <ul>
 *   <li>an empty, {@code .} or {@code ..} path element;</li>
 *   <li>an element {@code .git} in any case, or an NTFS alias of it: {@code .git} or {@code git~1} (any case)
 *       followed only by spaces and dots, optionally then {@code :}, {@code \} or more after those;</li>
 *   <li>for symbolic links only: {@code .gitmodules} in any case as any element, and its NTFS aliases
 *       ({@code .gitmodules} + spaces/dots, {@code gitmod~1}..{@code gitmod~4}, {@code gi7eba~N}) as an
 *       element.</li>
 * </ul>
 * A backslash is an ordinary character on Linux.
 */
final class IndexPaths {
    private IndexPaths() {
    }

    private static int at(byte[] p, int i) {
        return i < p.length ? p[i] & 0xff : 0;
    }

    /** {@code path} is a full path from the tree root, without trailing slash. */
    static boolean isValid(byte[] path, boolean symlink) {
        int i = 0;
        while (true) {
            // at the start of an element
            if (isNtfsDotGit(path, i)) {
                return false;
            }
            if (symlink && isNtfsDotGitmodules(path, i)) {
                return false;
            }
            int c = at(path, i++);
            if ((c == '.' && !verifyDotfile(path, i, symlink)) || c == '/' || c == 0) {
                return false;
            }
            while (true) {
                c = at(path, i++);
                if (c == 0) {
                    return true;
                }
                if (c == '/') {
                    break;
                }
            }
        }
    }

    /** git's {@code verify_dotfile}: {@code rest} is just after a leading '.'. */
    private static boolean verifyDotfile(byte[] p, int rest, boolean symlink) {
        int c = at(p, rest);
        if (c == 0 || c == '/') {
            return false;
        }
        switch (c) {
            case 'g':
            case 'G':
                if (lower(at(p, rest + 1)) != 'i' || lower(at(p, rest + 2)) != 't') {
                    break;
                }
                if (at(p, rest + 3) == 0 || at(p, rest + 3) == '/') {
                    return false;
                }
                if (symlink) {
                    int r = rest + 3;
                    byte[] modules = {'m', 'o', 'd', 'u', 'l', 'e', 's'};
                    boolean prefix = true;
                    for (int k = 0; k < modules.length; k++) {
                        if (lower(at(p, r + k)) != modules[k]) {
                            prefix = false;
                            break;
                        }
                    }
                    if (prefix && (at(p, r + 7) == 0 || at(p, r + 7) == '/')) {
                        return false;
                    }
                }
                break;
            case '.':
                if (at(p, rest + 1) == 0 || at(p, rest + 1) == '/') {
                    return false;
                }
                break;
            default:
                break;
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** git's {@code is_ntfs_dotgit} on the rest of the path from an element start. */
    static boolean isNtfsDotGit(byte[] p, int i) {
        int c = at(p, i++);
        if (c == '.') {
            if (lower(at(p, i++)) != 'g' || lower(at(p, i++)) != 'i' || lower(at(p, i++)) != 't') {
                return false;
            }
        } else if (c == 'g' || c == 'G') {
            if (lower(at(p, i++)) != 'i' || lower(at(p, i++)) != 't' || at(p, i++) != '~' || at(p, i++) != '1') {
                return false;
            }
        } else {
            return false;
        }
        while (true) {
            c = at(p, i++);
            if (c == 0 || c == '/' || c == '\\' || c == ':') {
                return true;
            }
            if (c != '.' && c != ' ') {
                return false;
            }
        }
    }

    /** git's {@code is_ntfs_dotgitmodules} ({@code is_ntfs_dot_generic} for "gitmodules", "gi7eba"). */
    static boolean isNtfsDotGitmodules(byte[] p, int start) {
        final String dotgitName = "gitmodules";
        final String shortPrefix = "gi7eba";
        int len = dotgitName.length();
        if (at(p, start) == '.' && equalsIgnoreCaseN(p, start + 1, dotgitName, len)) {
            return onlySpacesAndPeriods(p, start + len + 1);
        }
        if (equalsIgnoreCaseN(p, start, dotgitName, 6) && at(p, start + 6) == '~' && at(p, start + 7) >= '1'
                && at(p, start + 7) <= '4') {
            return onlySpacesAndPeriods(p, start + 8);
        }
        boolean sawTilde = false;
        int i;
        for (i = 0; i < 8; i++) {
            int c = at(p, start + i);
            if (c == 0) {
                return false;
            } else if (sawTilde) {
                if (c < '0' || c > '9') {
                    return false;
                }
            } else if (c == '~') {
                int d = at(p, start + ++i);
                if (d < '1' || d > '9') {
                    return false;
                }
                sawTilde = true;
            } else if (i >= 6) {
                return false;
            } else if ((c & 0x80) != 0) {
                return false;
            } else if (lower(c) != shortPrefix.charAt(i)) {
                return false;
            }
        }
        return onlySpacesAndPeriods(p, start + i);
    }

    /** strncasecmp(p + off, s, n) == 0, with the path ending as a C string would. */
    private static boolean equalsIgnoreCaseN(byte[] p, int off, String s, int n) {
        for (int k = 0; k < n; k++) {
            int c = at(p, off + k);
            if (lower(c) != s.charAt(k)) {
                return false;
            }
            if (c == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlySpacesAndPeriods(byte[] p, int i) {
        while (true) {
            int c = at(p, i++);
            if (c == 0 || c == ':') {
                return true;
            }
            if (c != ' ' && c != '.') {
                return false;
            }
        }
    }
}
