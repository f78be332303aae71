package com.gitblit.plugin.goproxy.standalone;

/**
 * A tiny HTML writer for the module pages. Element and attribute names are the caller's constants; every text
 * and every attribute value goes through {@link #escape}, so a tag, path or go.mod comment carrying markup is
 * shown, never interpreted. There is deliberately no way to append unescaped text.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** Opens {@code tag} with attributes given as name, value, name, value... (a null value drops the pair). */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    Html text(String s) {
        out.append(escape(s));
        return this;
    }

    /** {@code <tag attributes>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** A link, or the text alone when {@code href} is null. */
    Html link(String href, String text, String... attributes) {
        if (href == null) {
            return text(text);
        }
        String[] all = new String[attributes.length + 2];
        all[0] = "href";
        all[1] = href;
        System.arraycopy(attributes, 0, all, 2, attributes.length);
        return element("a", text, all);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
