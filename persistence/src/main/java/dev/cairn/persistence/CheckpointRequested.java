package dev.cairn.persistence;

/**
 * Journal record written when a checkpoint is taken without a user event to hang it on (timer,
 * command, supervisor, after a long recovery). Pekko snapshots only after a persisted event, so
 * this small record is that event; it does not change the state.
 *
 * @param reason why the checkpoint was taken ({@code timer}, {@code command}, {@code recovery})
 * @param timestampMillis wall-clock time (epoch millis)
 */
public record CheckpointRequested(String reason, long timestampMillis) implements CairnSerializable {}
