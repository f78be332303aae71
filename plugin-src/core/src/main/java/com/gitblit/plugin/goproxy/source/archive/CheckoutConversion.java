package com.gitblit.plugin.goproxy.source.archive;

import java.util.Map;

/**
 * What git 2.39 ({@code convert_attrs}, {@code convert_to_working_tree}) does to a regular file's blob in
 * {@code git -c core.autocrlf=input -c core.eol=lf archive}, decided from its attributes:
 * <ol>
 *   <li>{@code ident} set: expand {@code $Id$} ({@link IdentExpander}).</li>
 *   <li>End of line: {@code text} decides (set: text; unset: binary; {@code input}; {@code auto}; any other
 *       value: undecided), else the legacy {@code crlf} the same way. Unless binary, {@code eol=lf} /
 *       {@code eol=crlf} then turn text into text-lf / text-crlf and auto into auto-lf / auto-crlf, and an
 *       undecided file into text-lf / text-crlf. With {@code core.autocrlf=input}, plain text means text-lf
 *       and undecided means auto-lf. Only text-crlf and auto-crlf change bytes on the way out: LF → CRLF
 *       (text-crlf always; auto-crlf only for text without CR, see {@link ConvertedBlob}).</li>
 *   <li>{@code working-tree-encoding}: re-encode from UTF-8 ({@link WorkingTreeEncoding}); set without a
 *       value makes git die ({@link GitArchiveFailureException}); unset, unspecified or empty: nothing.</li>
 *   <li>{@code filter}: never run — product decision 19.3, and what a machine without that filter
 *       configured (the checksum database) does; the other conversions still apply.</li>
 * </ol>
 * Files larger than git's {@code core.bigFileThreshold} (512 MiB) are streamed raw by git without looking
 * at attributes; callers check that first.
 */
final class CheckoutConversion {
    /** git's {@code enum convert_crlf_action}, after the attribute and core.autocrlf rules. */
    enum CrlfAction { BINARY, TEXT_INPUT, TEXT_CRLF, AUTO_INPUT, AUTO_CRLF }

    static final CheckoutConversion NONE = new CheckoutConversion(false, CrlfAction.AUTO_INPUT, null);

    private final boolean ident;
    private final CrlfAction crlfAction;
    private final WorkingTreeEncoding encoding;

    private CheckoutConversion(boolean ident, CrlfAction crlfAction, WorkingTreeEncoding encoding) {
        this.ident = ident;
        this.crlfAction = crlfAction;
        this.encoding = encoding;
    }

    private enum Declared { UNDEFINED, BINARY, TEXT, TEXT_INPUT, TEXT_CRLF, AUTO, AUTO_INPUT, AUTO_CRLF }

    /**
     * @param path for messages only
     * @throws GitArchiveFailureException when git archive would die on this file
     * @throws UnreproducibleContentException when the encoding is not one this reader reproduces exactly
     */
    static CheckoutConversion of(Map<String, AttributeState> attributes, String path)
            throws GitArchiveFailureException, UnreproducibleContentException {
        Declared declared = fromTextOrCrlf(attributes.get("text"));
        if (declared == Declared.UNDEFINED) {
            declared = fromTextOrCrlf(attributes.get("crlf"));
        }
        if (declared != Declared.BINARY) {
            String eol = valueOf(attributes.get("eol"));
            boolean lf = "lf".equals(eol);
            boolean crlf = "crlf".equals(eol);
            if (declared == Declared.AUTO && lf) {
                declared = Declared.AUTO_INPUT;
            } else if (declared == Declared.AUTO && crlf) {
                declared = Declared.AUTO_CRLF;
            } else if (lf) {
                declared = Declared.TEXT_INPUT;
            } else if (crlf) {
                declared = Declared.TEXT_CRLF;
            }
        }
        CrlfAction action;
        switch (declared) {
            case BINARY:
                action = CrlfAction.BINARY;
                break;
            case TEXT:
            case TEXT_INPUT:
                action = CrlfAction.TEXT_INPUT; // core.autocrlf=input: text is checked out with LF
                break;
            case TEXT_CRLF:
                action = CrlfAction.TEXT_CRLF;
                break;
            case AUTO_CRLF:
                action = CrlfAction.AUTO_CRLF;
                break;
            default:
                action = CrlfAction.AUTO_INPUT; // auto, auto-lf, and undecided under core.autocrlf=input
                break;
        }

        boolean ident = isSet(attributes.get("ident"));

        WorkingTreeEncoding encoding = null;
        AttributeState enc = attributes.get("working-tree-encoding");
        // git only tests the value's length first, and "unset" is an empty string to it: only "set" dies
        if (enc != null && enc.isSet()) {
            throw new GitArchiveFailureException("git archive fails on " + path
                    + ": working-tree-encoding needs a value (\"true/false are no valid working-tree-encodings\")");
        }
        String encName = valueOf(enc);
        if (encName != null && !encName.isEmpty() && !WorkingTreeEncoding.isUtf8(encName)) {
            encoding = WorkingTreeEncoding.forName(encName);
            if (encoding == null) {
                throw new UnreproducibleContentException("cannot reproduce " + path + ": working-tree-encoding="
                        + encName + " is not an encoding this proxy converts exactly as git does");
            }
        }
        if (!ident && encoding == null && action != CrlfAction.TEXT_CRLF && action != CrlfAction.AUTO_CRLF) {
            return NONE;
        }
        return new CheckoutConversion(ident, action, encoding);
    }

    private static Declared fromTextOrCrlf(AttributeState s) {
        if (s == null || s.isUnspecified()) {
            return Declared.UNDEFINED;
        }
        if (s.isSet()) {
            return Declared.TEXT;
        }
        if (s.isUnset()) {
            return Declared.BINARY;
        }
        if ("input".equals(s.value())) {
            return Declared.TEXT_INPUT;
        }
        if ("auto".equals(s.value())) {
            return Declared.AUTO;
        }
        return Declared.UNDEFINED;
    }

    private static String valueOf(AttributeState s) {
        return s == null ? null : s.value();
    }

    private static boolean isSet(AttributeState s) {
        return s != null && s.isSet();
    }

    boolean ident() {
        return ident;
    }

    CrlfAction crlfAction() {
        return crlfAction;
    }

    /** True when LF may become CRLF (depending on the content for auto-crlf). */
    boolean mayAddCr() {
        return crlfAction == CrlfAction.TEXT_CRLF || crlfAction == CrlfAction.AUTO_CRLF;
    }

    /** Null when the content stays UTF-8 (as stored). */
    WorkingTreeEncoding encoding() {
        return encoding;
    }

    /** True when the archived bytes are the blob's bytes whatever they are. */
    boolean isNone() {
        return !ident && encoding == null && !mayAddCr();
    }

    @Override
    public String toString() {
        return (ident ? "ident " : "") + crlfAction + (encoding != null ? " working-tree-encoding=" + encoding : "");
    }
}
