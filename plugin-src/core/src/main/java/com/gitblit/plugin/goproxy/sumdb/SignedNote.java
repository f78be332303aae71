package com.gitblit.plugin.goproxy.sumdb;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opens a signed note: checks its form and that the one trusted key signed it. Signatures by other keys are
 * ignored (a database may be co-signed by witnesses), a bad signature by the trusted key is an error.
 */
public final class SignedNote {
    private static final int MAX_SIGNATURES = 100;

    private SignedNote() {
    }

    /** The note's text (up to and including the newline before the blank line), once verified. */
    public static String open(byte[] message, NoteVerifier trusted) throws SumdbException {
        String all = decodeUtf8(message);
        for (int i = 0; i < all.length(); i++) {
            char c = all.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw malformed();
            }
        }
        int split = all.lastIndexOf("\n\n");
        if (split < 0) {
            throw malformed();
        }
        String text = all.substring(0, split + 1);
        String sigs = all.substring(split + 2);
        if (sigs.isEmpty() || !sigs.endsWith("\n")) {
            throw malformed();
        }
        byte[] signed = text.getBytes(StandardCharsets.UTF_8);
        boolean verified = false;
        int count = 0;
        for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
            if (++count > MAX_SIGNATURES || !line.startsWith("\u2014 ")) {
                throw malformed();
            }
            String rest = line.substring(2);
            int space = rest.indexOf(' ');
            String name = space < 0 ? rest : rest.substring(0, space);
            String b64 = space < 0 ? "" : rest.substring(space + 1);
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw malformed();
            }
            if (!NoteVerifier.validName(name) || b64.isEmpty() || sig.length < 5) {
                throw malformed();
            }
            int hash = ByteBuffer.wrap(sig, 0, 4).getInt();
            if (!name.equals(trusted.name()) || hash != trusted.keyHash()) {
                continue;
            }
            if (!trusted.verify(signed, Arrays.copyOfRange(sig, 4, sig.length))) {
                throw new SumdbException("invalid signature for key " + trusted.name() + "+"
                        + String.format("%08x", trusted.keyHash()));
            }
            verified = true;
        }
        if (!verified) {
            throw new SumdbException("note has no verifiable signature by " + trusted.name());
        }
        return text;
    }

    private static String decodeUtf8(byte[] bytes) throws SumdbException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed();
        }
    }

    private static SumdbException malformed() {
        return new SumdbException("malformed note");
    }
}
