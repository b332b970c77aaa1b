/**
 * Event-sourced lifecycle policies: checkpoint, redo, rollback, quarantine.
 *
 * <p>Start with {@link dev.cairn.persistence.EventSourcedActor}: an event-sourced actor on Pekko
 * Persistence Typed whose fault tolerance is declared with {@link dev.cairn.persistence.CheckpointPolicy},
 * {@link dev.cairn.persistence.RedoPolicy}, {@link dev.cairn.persistence.RollbackPolicy},
 * {@link dev.cairn.persistence.PoisonEventPolicy} and {@link dev.cairn.persistence.Invariant}s. Operators
 * and supervisors send {@link dev.cairn.persistence.PolicyCommand}s; the layer publishes
 * {@link dev.cairn.persistence.PolicyEvent}s; {@link dev.cairn.persistence.QuarantineRecords} reads
 * quarantined events. Everything in {@code dev.cairn.persistence.internal} is implementation.
 */
package dev.cairn.persistence;
