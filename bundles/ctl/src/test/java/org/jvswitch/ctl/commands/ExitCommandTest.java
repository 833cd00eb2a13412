package org.jvswitch.ctl.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ExitCommandTest {
    @Test
    void repliesAndStopsOnAnotherThread() throws Exception {
        CompletableFuture<Thread> stoppedOn = new CompletableFuture<>();
        ExitCommand exit = new ExitCommand(() -> stoppedOn.complete(Thread.currentThread()));
        assertEquals("", exit.execute(List.of("--cleanup")));
        Thread t = stoppedOn.get(5, TimeUnit.SECONDS);
        assertNotSame(Thread.currentThread(), t);
        assertTrue(t.getName().startsWith("unixctl-exit"));
    }
}
