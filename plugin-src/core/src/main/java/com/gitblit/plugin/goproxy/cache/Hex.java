package com.gitblit.plugin.goproxy.cache;

/** Lower-case hexadecimal, as file names and sidecars write digests. */
final class Hex {
    private Hex() {
    }

    static String of(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
