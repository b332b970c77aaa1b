package dev.cairn.persistence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Result of a read-only {@link EventSourcedActor#recoverAsOf}: the state as of that point, and
 * how it was computed. Nothing was written.
 *
 * @param state the state
 * @param sequenceNr the sequence number of the last record that counted
 * @param checkpointUsed the checkpoint the replay started from, if any
 * @param eventsReplayed journal records replayed after it
 * @param skippedPoisonEvents sequence numbers of poison events skipped on the way
 * @param duration how long it took
 */
public record RecoveredState<S>(S state, long sequenceNr, Optional<Long> checkpointUsed, long eventsReplayed,
    List<Long> skippedPoisonEvents, Duration duration) {}
