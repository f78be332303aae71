package com.gitblit.plugin.goproxy.module.zip;

import java.util.Collections;
import java.util.List;

/**
 * The verdict on a module's file list (x/mod zip.CheckedFiles): files that go in, files left out (with
 * why), files that make the whole zip invalid (with why), and a size error that applies to the whole set.
 */
public final class CheckedFiles {
    private final List<ModuleFile> valid;
    private final List<FileProblem> omitted;
    private final List<FileProblem> invalid;
    private final String sizeError;

    public CheckedFiles(List<ModuleFile> valid, List<FileProblem> omitted, List<FileProblem> invalid, String sizeError) {
        this.valid = Collections.unmodifiableList(valid);
        this.omitted = Collections.unmodifiableList(omitted);
        this.invalid = Collections.unmodifiableList(invalid);
        this.sizeError = sizeError;
    }

    /** The included files, in input order. */
    public List<ModuleFile> valid() {
        return valid;
    }

    public List<FileProblem> omitted() {
        return omitted;
    }

    public List<FileProblem> invalid() {
        return invalid;
    }

    /** {@code null} unless the total size or a size-limited file (go.mod, LICENSE) is too large. */
    public String sizeError() {
        return sizeError;
    }

    /** True iff a zip can be made from these files. */
    public boolean isValid() {
        return invalid.isEmpty() && sizeError == null;
    }

    /** One line saying why no zip can be made, or {@code null} when {@link #isValid()}. */
    public String error() {
        if (sizeError != null) {
            return sizeError;
        }
        return invalid.isEmpty() ? null : invalid.get(0).toString();
    }
}
