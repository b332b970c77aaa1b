package dev.cairn.persistence;

/**
 * Durable journal record of an event that could not be processed during replay and was skipped
 * under {@link PoisonEventPolicy#SKIP_AND_QUARANTINE}. Nothing is silently dropped: the poison
 * event itself stays in the journal, and this record says why it no longer counts.
 *
 * <p>Read them with {@link QuarantineRecords}.
 *
 * @param persistenceId the actor whose journal holds the poison event
 * @param sequenceNr the poison event's sequence number
 * @param manifest the poison event's manifest or class name
 * @param kind {@code DESERIALIZATION} or {@code EVENT_HANDLER}
 * @param cause exception class and message
 * @param timestampMillis when the record was written (epoch millis)
 */
public record QuarantineRecord(
    String persistenceId,
    long sequenceNr,
    String manifest,
    String kind,
    String cause,
    long timestampMillis)
    implements CairnSerializable {

  @Override
  public String toString() {
    return "Event " + sequenceNr + " of '" + persistenceId + "' (" + manifest + ") quarantined: "
        + kind + ": " + cause;
  }
}
