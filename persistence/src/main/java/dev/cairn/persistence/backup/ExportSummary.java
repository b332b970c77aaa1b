package dev.cairn.persistence.backup;

/**
 * What an export wrote.
 *
 * @param persistenceIds number of persistence ids exported
 * @param events number of event lines written (rejected-event lines included)
 * @param snapshots number of snapshot lines written
 */
public record ExportSummary(long persistenceIds, long events, long snapshots) {}
