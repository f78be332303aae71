package com.gitblit.plugin.goproxy.sumdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Signed notes and Ed25519, with the facts of RFC 8032's test vectors and x/mod's note_test.go. */
class SignedNoteTest {
    private static final String PETER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void rfc8032Vectors() {
        byte[] pub1 = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig1 = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertTrue(Ed25519.verify(pub1, new byte[0], sig1));
        assertFalse(Ed25519.verify(pub1, new byte[] {0}, sig1));
        byte[] pub2 = hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] sig2 = hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        assertTrue(Ed25519.verify(pub2, new byte[] {0x72}, sig2));
        assertFalse(Ed25519.verify(pub1, new byte[] {0x72}, sig2));
        byte[] bad = sig2.clone();
        bad[40] ^= 1;
        assertFalse(Ed25519.verify(pub2, new byte[] {0x72}, bad));
    }

    @Test
    void sOutsideTheGroupOrderIsRefused() {
        byte[] pub1 = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig1 = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        // S + L is the same scalar mod L; Go's crypto/ed25519 refuses it as non-canonical, and so must we.
        java.math.BigInteger l = java.math.BigInteger.ONE.shiftLeft(252)
                .add(new java.math.BigInteger("27742317777372353535851937790883648493"));
        byte[] sLe = java.util.Arrays.copyOfRange(sig1, 32, 64);
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = sLe[31 - i];
        }
        byte[] sum = new java.math.BigInteger(1, be).add(l).toByteArray();
        byte[] malleable = sig1.clone();
        for (int i = 0; i < 32; i++) {
            malleable[32 + i] = i < sum.length ? sum[sum.length - 1 - i] : 0;
        }
        assertFalse(Ed25519.verify(pub1, new byte[0], malleable));
    }

    @Test
    void peterNeumannNoteOpens() throws SumdbException {
        NoteVerifier key = NoteVerifier.parse(PETER_KEY);
        assertEquals("PeterNeumann", key.name());
        assertEquals(0xc74f20a3, key.keyHash());
        assertEquals(PETER_TEXT, SignedNote.open(bytes(PETER_TEXT + "\n" + PETER_SIG), key));
    }

    @Test
    void otherSignersAreIgnoredButOneTrustedSignatureIsNeeded() throws SumdbException {
        NoteVerifier key = NoteVerifier.parse(PETER_KEY);
        String other = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
        assertEquals(PETER_TEXT, SignedNote.open(bytes(PETER_TEXT + "\n" + other + PETER_SIG), key));
        SumdbException e = assertThrows(SumdbException.class,
                () -> SignedNote.open(bytes(PETER_TEXT + "\n" + other), key));
        assertEquals("note has no verifiable signature by PeterNeumann", e.getMessage());
    }

    @Test
    void changedTextFailsTheSignature() throws SumdbException {
        NoteVerifier key = NoteVerifier.parse(PETER_KEY);
        SumdbException e = assertThrows(SumdbException.class,
                () -> SignedNote.open(bytes(PETER_TEXT.replace("answer", "answers") + "\n" + PETER_SIG), key));
        assertEquals("invalid signature for key PeterNeumann+c74f20a3", e.getMessage());
    }

    @Test
    void malformedNotes() throws SumdbException {
        NoteVerifier key = NoteVerifier.parse(PETER_KEY);
        String[] bad = {
            PETER_TEXT + PETER_SIG,                                   // no blank line
            PETER_TEXT + "\n" + PETER_SIG.trim(),                      // no final newline
            PETER_TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),      // not an em dash
            "\u0001" + PETER_TEXT + "\n" + PETER_SIG,                  // control character
            PETER_TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",         // signature too short
        };
        for (String note : bad) {
            assertThrows(SumdbException.class, () -> SignedNote.open(bytes(note), key), note);
        }
    }

    @Test
    void badVerifierKeys() {
        // Facts from note_test.go: a wrong-length key and an unknown algorithm, each with a matching key hash.
        assertThrows(SumdbException.class, () -> NoteVerifier.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        assertThrows(SumdbException.class, () -> NoteVerifier.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertThrows(SumdbException.class, () -> NoteVerifier.parse(
                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertThrows(SumdbException.class, () -> NoteVerifier.parse("Peter Neumann+c74f20a3+ARpc"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
