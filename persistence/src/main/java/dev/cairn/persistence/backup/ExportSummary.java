package dev.cairn.persistence.backup;

/**
 * What an export wrote.
 *
 * @param persistenceIds number of persistence ids exported
 * @param events number of events (lines) written
 */
public record ExportSummary(long persistenceIds, long events) {}
