package com.gitblit.plugin.goproxy.source.archive;

/**
 * The state of one attribute for a path, as gitattributes(5) names them: set ({@code attr}), unset
 * ({@code -attr}), unspecified ({@code !attr}, or never mentioned) or set to a value ({@code attr=value},
 * the value possibly empty). Values are kept as ISO-8859-1 strings, i.e. byte for byte.
 */
final class AttributeState {
    enum Kind { SET, UNSET, UNSPECIFIED, VALUE }

    static final AttributeState SET = new AttributeState(Kind.SET, null);
    static final AttributeState UNSET = new AttributeState(Kind.UNSET, null);
    static final AttributeState UNSPECIFIED = new AttributeState(Kind.UNSPECIFIED, null);

    private final Kind kind;
    private final String value;

    private AttributeState(Kind kind, String value) {
        this.kind = kind;
        this.value = value;
    }

    static AttributeState value(String value) {
        return new AttributeState(Kind.VALUE, value);
    }

    Kind kind() {
        return kind;
    }

    boolean isSet() {
        return kind == Kind.SET;
    }

    boolean isUnset() {
        return kind == Kind.UNSET;
    }

    boolean isUnspecified() {
        return kind == Kind.UNSPECIFIED;
    }

    /** The value of {@code attr=value}; {@code null} for the other kinds. */
    String value() {
        return value;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SET:
                return "set";
            case UNSET:
                return "unset";
            case UNSPECIFIED:
                return "unspecified";
            default:
                return "=" + value;
        }
    }
}
