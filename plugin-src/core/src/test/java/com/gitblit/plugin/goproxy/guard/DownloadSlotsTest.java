package com.gitblit.plugin.goproxy.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DownloadSlotsTest {
    @Test
    void perClientThenInAllAndGivenBackOnClose() throws Exception {
        DownloadSlots slots = new DownloadSlots(3, 2);
        DownloadSlots.Slot a1 = slots.enter("a");
        slots.enter("a");
        assertEquals(429, assertThrows(DownloadSlots.Refused.class, () -> slots.enter("a")).status());
        DownloadSlots.Slot b1 = slots.enter("b");
        DownloadSlots.Refused full = assertThrows(DownloadSlots.Refused.class, () -> slots.enter("c"));
        assertEquals(503, full.status());
        assertEquals(2, full.retryAfterSeconds());
        b1.close();
        b1.close();
        slots.enter("c");
        assertEquals(503, assertThrows(DownloadSlots.Refused.class, () -> slots.enter("d")).status(),
                "closing twice gave back one slot only");
        a1.close();
        slots.enter("a");
    }

    @Test
    void onlyModuleFilesAreDownloads() {
        assertTrue(DownloadSlots.isDownload("example.com/m/@v/v1.0.0.zip"));
        assertTrue(DownloadSlots.isDownload("example.com/m/@v/v1.0.0.mod"));
        assertFalse(DownloadSlots.isDownload("example.com/m/@v/v1.0.0.info"));
        assertFalse(DownloadSlots.isDownload("example.com/m/@v/list"));
        assertFalse(DownloadSlots.isDownload("example.com/m.zip"));
    }
}
